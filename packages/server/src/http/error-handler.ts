import { type ErrorCode, errorCatalog, GatehouseError } from "@gatehouse/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";

/** Fastify's own client errors, mapped to our catalog. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "body_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_VALIDATION: "validation_failed",
};

export function sendError(reply: FastifyReply, code: ErrorCode, details?: unknown): FastifyReply {
  const entry = errorCatalog[code];
  const error: { code: ErrorCode; message: string; details?: unknown } = { code, message: entry.message };
  if (details !== undefined) error.details = details;
  return reply.status(entry.status).header("cache-control", "no-store").send({ error });
}

/**
 * The one error handler: catalogued errors as they are, validation errors with the failing paths
 * (never the values), anything unexpected as a bare 500 whose details go to the log only.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  realmNames: readonly string[],
  options: { pageFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean } = {},
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GatehouseError) {
      if (error.status >= 500) request.log.error({ err: error.cause ?? error, code: error.code }, "request failed");
      reply.headers(error.headers);
      return sendError(reply, error.code, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        location: error.validationContext ?? "body",
        path: issue.instancePath || "/",
        // The zod provider carries the zod issue code as `keyword` (its params hold the rest of the issue).
        problem: issue.keyword || "invalid",
      }));
      return sendError(reply, "validation_failed", details);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, "response did not match its schema");
      return sendError(reply, "internal_error");
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return sendError(reply, mapped);
    if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode === 404 ? "not_found" : "bad_request");
    }
    request.log.error({ err: error }, "unexpected error");
    return sendError(reply, "internal_error");
  });

  app.setNotFoundHandler((request, reply) => {
    // /api/<realm>/… for a realm that does not exist gets its own code, so clients see the typo.
    const segment = /^\/api\/([^/?]+)\/(auth|sessions)(\/|$|\?)/.exec(request.url)?.[1];
    if (segment && !realmNames.includes(segment)) return sendError(reply, "unknown_realm");
    // A known path asked with the wrong method is a 405 naming the allowed ones, not a "nothing here".
    const allowed = allowedMethods(app, request.url.split("?")[0] ?? "/");
    if (allowed.length > 0) return sendError(reply.header("allow", allowed.join(", ")), "method_not_allowed");
    // A page path of the web app (e.g. /admin/audit after a reload) gets its index.html.
    if (options.pageFallback?.(request, reply)) return reply;
    return sendError(reply, "not_found");
  });
}

const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function allowedMethods(app: FastifyInstance, path: string): string[] {
  // hasRoute reads its argument as a route pattern: only ask about plain paths.
  if (!/^[\w\-./~%]*$/.test(path)) return [];
  return methods.filter((method) => {
    try {
      return app.hasRoute({ method, url: path });
    } catch {
      return false;
    }
  });
}
