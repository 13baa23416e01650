import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { overviewRanges } from "../../app/admin.ts";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";

const adminOverview = z
  .object({
    generatedAt: z.iso.datetime(),
    range: z.enum(Object.keys(overviewRanges) as [keyof typeof overviewRanges]),
    bucket: z.enum(["hour", "day"]),
    activeSessions: z.array(z.object({ realm: z.string(), count: z.number().int() })),
    signIns: z.array(
      z.object({ bucketStart: z.iso.datetime(), signIns: z.number().int(), failures: z.number().int() }),
    ),
  })
  .meta({ id: "AdminOverview" });

/** GET /api/admin/overview: the console's charts (live sessions per realm; sign-ins and failures over time). */
export function registerOverview(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/overview",
    config: adminMeta(deps.realm, "audit.read"),
    schema: {
      tags: ["admin"],
      summary: "Sessions per realm and sign-ins over time",
      operationId: "adminOverview",
      querystring: z.strictObject({
        range: z.enum(Object.keys(overviewRanges) as [keyof typeof overviewRanges]).default("7d"),
      }),
      response: { 200: adminOverview, ...commonErrors },
    },
    handler: async (request) => {
      const overview = await ctx.useCases.admin.overview(request.query.range, ctx.realms.names);
      return {
        ...overview,
        generatedAt: overview.generatedAt.toISOString(),
        signIns: overview.signIns.map((slot) => ({ ...slot, bucketStart: slot.bucketStart.toISOString() })),
      };
    },
  });
}
