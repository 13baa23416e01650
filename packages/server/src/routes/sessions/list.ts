import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { sessionListItem, toSessionListItem } from "./session-item.ts";

const sessionList = z.object({ sessions: z.array(sessionListItem) }).meta({ id: "SessionList" });

/** GET /api/{realm}/sessions: the caller's live sessions in this realm, newest first, the current one marked. */
export function registerListSessions(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: `/api/${realm.name}/sessions`,
    config: { gatehouse: { realm, auth: "required" } },
    schema: {
      tags: [realm.name],
      summary: `Your active ${realm.name} sessions`,
      operationId: `${realm.name}ListSessions`,
      response: { 200: sessionList, ...commonErrors },
    },
    handler: async (request) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const sessions = await ctx.useCases.listOwnSessions(session);
      return { sessions: sessions.map((s) => toSessionListItem(s, session.id)) };
    },
  });
}
