import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { job } from "./schemas.ts";
import { type ChamaRouteDeps, caller, chamaParams, memberMeta } from "./support.ts";

/**
 * POST /api/chamas/{id}/contributions/import: starts a job importing `email,amount,date` CSV rows
 * as approved contributions, all or nothing; follow it with GET /api/jobs/{id}.
 */
export function registerImportContributions(app: FastifyInstance, ctx: RouteContext, deps: ChamaRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/chamas/:id/contributions/import",
    config: memberMeta(deps.realm),
    // A 10,000-row file is about 400 KB; the app-wide limit stays 64 KB.
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ["chamas"],
      summary: "Import contributions from CSV (a job)",
      operationId: "importChamaContributions",
      params: chamaParams,
      body: z.strictObject({ csv: z.string().min(1).max(4_000_000) }),
      response: { 202: job, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const started = await ctx.useCases.chamaHub.startImport(
        caller(request),
        requestMeta(request),
        request.params.id,
        request.body.csv,
      );
      return reply.status(202).send(started);
    },
  });
}
