import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";
import {
  auditEventResponse,
  auditFilterQuery,
  decodeCursor,
  encodeCursor,
  toAuditEventResponse,
  toAuditFilter,
} from "./audit-filter.ts";

const auditEventPage = z
  .object({ events: z.array(auditEventResponse), nextCursor: z.string().nullable() })
  .meta({ id: "AuditEventPage" });

/** GET /api/admin/audit: security events, newest first, filtered, with cursor pagination. */
export function registerAudit(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/audit",
    config: adminMeta(deps.realm, "audit.read"),
    schema: {
      tags: ["admin"],
      summary: "Search the audit log",
      operationId: "adminSearchAudit",
      querystring: z.strictObject({
        ...auditFilterQuery(ctx.realms.names),
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: auditEventPage, ...commonErrors },
    },
    handler: async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const { events, nextBeforeId } = await ctx.useCases.admin.searchAudit(toAuditFilter(filters), {
        beforeId: decodeCursor(cursor),
        limit,
      });
      return { events: events.map(toAuditEventResponse), nextCursor: encodeCursor(nextBeforeId) };
    },
  });
}
