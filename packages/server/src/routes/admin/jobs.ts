import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { pageOf, pageQuery } from "../../http/pagination.ts";
import { commonErrors, errorResponse } from "../../http/schemas.ts";
import { job, jobPage } from "../chamas/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";

/** GET /api/admin/jobs and /api/admin/jobs/{id}: every background job and its progress (jobs.read). */
export function registerAdminJobs(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.route({
    method: "GET",
    url: "/api/admin/jobs",
    config: adminMeta(deps.realm, "jobs.read"),
    schema: {
      tags: ["admin"],
      summary: "List background jobs",
      operationId: "adminListJobs",
      querystring: z.strictObject({
        status: z.enum(["queued", "running", "succeeded", "failed"]).optional(),
        type: z.string().max(40).optional(),
        ...pageQuery,
      }),
      response: { 200: jobPage, ...commonErrors },
    },
    handler: async (request) => {
      const { status, type, ...page } = request.query;
      const { count, results } = await ctx.useCases.chamaHub.admin.listJobs({ status, type }, page);
      return pageOf(count, page, results);
    },
  });
  typed.route({
    method: "GET",
    url: "/api/admin/jobs/:id",
    config: adminMeta(deps.realm, "jobs.read"),
    schema: {
      tags: ["admin"],
      summary: "A background job",
      operationId: "adminGetJob",
      params: z.strictObject({ id: z.uuid() }),
      response: { 200: job, 404: errorResponse, ...commonErrors },
    },
    handler: async (request) => ctx.useCases.chamaHub.admin.job(request.params.id),
  });
}
