import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { chamaDetail } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/**
 * GET /api/chamas/{id}: a member's view (member count, totals, the 10 most recent contributions), with
 * an ETag; `If-None-Match` with the current one answers 304 after a single query.
 */
export function registerGetChama(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/chamas/:id",
    config: memberMeta(deps.realm),
    schema: {
      tags: ["chamas"],
      summary: "A chama you belong to",
      operationId: "getChama",
      params: chamaParams,
      response: { 200: chamaDetail, 304: z.null().describe("Not modified"), 404: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const ifNoneMatch = request.headers["if-none-match"];
      const { etag, detail } = await ctx.useCases.chamaHub.chamas.detail(
        caller(request),
        request.params.id,
        typeof ifNoneMatch === "string" ? ifNoneMatch : undefined,
      );
      // The API's `Cache-Control: no-store` stays (app.ts: no browser or proxy keeps member data); the
      // client keeps the body and its ETag itself and sends `If-None-Match` to revalidate cheaply.
      reply.header("etag", etag);
      if (!detail) return reply.status(304).send(null);
      return detail;
    },
  });
}
