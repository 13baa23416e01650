import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { requestMeta } from "../../http/request-meta.ts";
import { commonErrors, email, errorResponse, password } from "../../http/schemas.ts";
import { type AdminDeps, adminActor, adminMeta, toAdminPrincipal } from "./admin-support.ts";
import { adminAccount, toRoleResponse } from "./role-support.ts";

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u);

/**
 * POST /api/admin/admins: creates an admin account with a first password (given to the new admin out
 * of band; they change it) and its roles. Sensitive (step-up); audited with the creating admin as actor.
 */
export function registerCreateAdmin(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "POST",
    url: "/api/admin/admins",
    config: adminMeta(deps.realm, "admins.manage", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Create an admin",
      operationId: "adminCreateAdmin",
      body: z.strictObject({
        email,
        password,
        displayName: displayName.optional(),
        roleIds: z.array(z.uuid()).max(20).default([]),
      }),
      response: { 201: adminAccount, 404: errorResponse, 409: errorResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { principal, roles } = await ctx.useCases.roles.createAdmin(
        adminActor(request),
        request.body,
        requestMeta(request),
      );
      return reply
        .status(201)
        .send({ ...toAdminPrincipal(principal), roles: roles.map(toRoleResponse), secondFactor: false });
    },
  });
}
