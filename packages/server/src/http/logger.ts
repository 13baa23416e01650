import pino, { type DestinationStream, type Logger } from "pino";
import { loggable } from "./loggable.ts";

/**
 * Structured logs with secrets redacted. Request lines carry the path without its query string, so a
 * token pasted into a URL never reaches the log.
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
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
          path: typeof req.url === "string" ? req.url.split("?")[0] : undefined,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // Every logged error goes through the one scrubber: no email, token or query parameter.
        err: (error: unknown) => loggable(error),
      },
    },
    options.destination,
  );
}
