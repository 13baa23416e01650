import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery, paginated } from "../../http/pagination.ts";
import { commonErrors } from "../../http/schemas.ts";
import { sessionListItem, toSessionListItem } from "../sessions/session-item.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";

const activeSession = sessionListItem
  .extend({ principalId: z.uuid(), email: z.string() })
  .meta({ id: "AdminActiveSession" });
const activeSessionPage = paginated(activeSession, "AdminActiveSessionPage");

/**
 * GET /api/admin/active-sessions: every live session (optionally of one realm), newest first, paginated.
 * (`/api/admin/sessions` is the admin's own sessions, like `/api/user/sessions` for users.)
 */
export function registerActiveSessions(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/active-sessions",
    config: adminMeta(deps.realm, "sessions.read"),
    schema: {
      tags: ["admin"],
      summary: "All active sessions",
      operationId: "adminListActiveSessions",
      querystring: z.strictObject({
        realm: z.enum(ctx.realms.names as [string, ...string[]]).optional(),
        ...pageQuery,
      }),
      response: { 200: activeSessionPage, ...commonErrors },
    },
    handler: async (request) => {
      const { realm, ...page } = request.query;
      const currentId = request.auth?.session.id ?? null;
      const { count, results } = await ctx.useCases.admin.listActiveSessions({ realm }, page);
      return pageOf(
        count,
        page,
        results.map(({ session, email }) => ({
          ...toSessionListItem(session, currentId),
          principalId: session.principalId,
          email,
        })),
      );
    },
  });
}
