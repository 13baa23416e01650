import http from "node:http";
import type { Duplex } from "node:stream";
import { type ErrorCode, errorCatalog } from "@gatehouse/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "./error-handler.ts";

type Headers = Readonly<Record<string, string>>;

/** Router errors that `frameworkErrors` receives. Fastify's own message would echo the path: never sent. */
const routerCodes: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: "bad_request",
  FST_ERR_MAX_PARAM_LENGTH: "uri_too_long",
};

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any hook runs (a bad percent
 * escape, a parameter over `maxParamLength`). No onRequest hook has set the security headers, so they
 * are set here. Logged by code only: the message holds the path.
 */
export function frameworkErrorHandler(headers: Headers) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const code = routerCodes[error.code];
    if (code) request.log.info({ frameworkError: error.code }, "request refused by the router");
    else request.log.error({ err: error }, "unexpected framework error");
    sendError(reply.headers(headers), code ?? "internal_error");
  };
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (headers or request line over the size
 * limit, NUL or control characters in a header, an unknown method) get our error shape and security
 * headers instead of Fastify's own. Other client errors (timeouts, resets) keep Fastify's handling.
 * Logged without the error object: no stack, no header bytes.
 */
export function registerClientErrorHandler(app: FastifyInstance, headers: Headers): void {
  const server = app.server;
  const fallbacks = server.listeners("clientError") as ((error: Error, socket: Duplex) => void)[];
  server.removeAllListeners("clientError");
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code: ErrorCode | undefined =
      error.code === "HPE_HEADER_OVERFLOW"
        ? "headers_too_large"
        : error.code?.startsWith("HPE_")
          ? "bad_request"
          : undefined;
    if (!code || socket.destroyed) {
      for (const fallback of fallbacks) fallback.call(server, error, socket);
      return;
    }
    app.log.debug({ parserError: error.code }, "client error");
    if (socket.writable) {
      const { status, message } = errorCatalog[code];
      const body = JSON.stringify({ error: { code, message } });
      const lines = Object.entries({
        ...headers,
        "content-type": "application/json; charset=utf-8",
        "content-length": String(Buffer.byteLength(body)),
        "cache-control": "no-store",
        connection: "close",
      }).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join("")}\r\n${body}`);
    }
    socket.destroy();
  });
}
