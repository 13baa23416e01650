import { tokenShape } from "@gatehouse/core";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import { loggable } from "./loggable.ts";

const containsToken = new RegExp(tokenShape);

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The request path as logged: no query string, and any segment holding a token (also percent-encoded,
 * e.g. `%2E` for the dot) replaced, so a token pasted into a URL path never reaches the log either.
 */
export function loggedPath(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path
    .split("/")
    .map((segment) => (containsToken.test(segment) || containsToken.test(decoded(segment)) ? "[token]" : segment))
    .join("/");
}

/**
 * Structured logs with secrets redacted: bodies, cookies and headers carrying secrets, URL tokens.
 * `pretty` renders each line for people (pino-pretty, in-process and synchronous, colours only on a
 * terminal); otherwise one JSON object a line. Redaction and serializers apply either way.
 */
export function createLogger(options: { level: string; destination?: DestinationStream; pretty?: boolean }): Logger {
  const destination = options.pretty
    ? pretty({
        destination: options.destination ?? 1,
        colorize: options.destination === undefined && process.stdout.isTTY === true,
        sync: true,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname",
      })
    : options.destination;
  return pino(
    {
      level: options.level,
      redact: {
        paths: [
          "req.headers.cookie",
          "req.headers.authorization",
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          "*.password",
          "*.newPassword",
          "*.currentPassword",
          "*.token",
          "*.csrfToken",
          "*.secret",
          "*.captcha",
          "*.code",
        ],
        censor: "[redacted]",
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          path: typeof req.url === "string" ? loggedPath(req.url) : undefined,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // Every logged error goes through the one scrubber: no email, token or query parameter.
        err: (error: unknown) => loggable(error),
      },
    },
    destination,
  );
}
