import { z } from "zod";
import type { Role } from "../../app/index.ts";
import { adminPrincipal } from "./admin-support.ts";

/** A role as the console sees it; `permissions` is what it grants (owner: everything registered). */
export const roleResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    builtin: z.boolean(),
    permissions: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "AdminRole" });

export function toRoleResponse(role: Role): z.infer<typeof roleResponse> {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    builtin: role.builtin,
    permissions: [...role.permissions],
    createdAt: role.createdAt.toISOString(),
    updatedAt: role.updatedAt.toISOString(),
  };
}

export const roleName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, "2 to 40 characters: lower-case letters, digits, - and _");
export const roleDescription = z
  .string()
  .trim()
  .max(200)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u);
export const permissionList = z.array(z.string().max(64)).max(100);
export const roleIdParam = z.strictObject({ id: z.uuid() });

/** An admin account with the roles it holds and whether it has enrolled a second factor. */
export const adminAccount = adminPrincipal
  .extend({ roles: z.array(roleResponse), secondFactor: z.boolean() })
  .meta({ id: "AdminAccount" });
