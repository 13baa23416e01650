import type { FastifyRequest } from "fastify";
import type { EventInput } from "../app/audit-recorder.ts";
import type { AppContext } from "../http/context.ts";
import { requestMeta } from "../http/request-meta.ts";

/**
 * For the HTTP plumbing (refusals recorded by the error hooks) and jobs: records through the same
 * AuditRecorder the use cases use, with the request's address and user agent when there is one.
 */
export function recordEvent(
  ctx: Pick<AppContext, "audit">,
  request: FastifyRequest | null,
  input: EventInput,
): Promise<void> {
  return ctx.audit.record(request ? requestMeta(request) : null, input);
}
