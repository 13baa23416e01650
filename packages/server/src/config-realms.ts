import type { RealmPolicy } from "@gatehouse/core";
import { z } from "zod";

const timeout = z
  .number()
  .int()
  .positive()
  .max(400 * 24 * 3600);

/**
 * One more realm, from configuration alone (EXTRA_REALMS, a JSON array): a third audience — say, a
 * partner portal — gets its own principals, cookie, timeouts, CSRF key and routes without any code.
 */
const extraRealm = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,19}$/, "2–20 lower-case letters or digits, starting with a letter")
    .refine((name) => !["user", "admin", "public", "cron", "docs"].includes(name), "is reserved"),
  idleTimeoutSeconds: timeout,
  absoluteTimeoutSeconds: timeout,
  rememberMeAbsoluteTimeoutSeconds: timeout.nullable().default(null),
  maxSessionsPerPrincipal: z.number().int().min(1).max(1000).default(10),
  cookieSameSite: z.enum(["lax", "strict"]).default("strict"),
  selfSignup: z.boolean().default(false),
  otpSignIn: z.boolean().default(false),
  adminApi: z.boolean().default(false),
});

export const extraRealmsSchema = z
  .string()
  .default("[]")
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON array of realm objects" });
      return z.NEVER;
    }
  })
  .pipe(z.array(extraRealm).max(8))
  .refine((realms) => new Set(realms.map((r) => r.name)).size === realms.length, "realm names must be unique")
  .refine(
    (realms) => realms.every((r) => r.absoluteTimeoutSeconds >= r.idleTimeoutSeconds),
    "absoluteTimeoutSeconds must not be shorter than idleTimeoutSeconds",
  );

export function extraRealms(parsed: z.infer<typeof extraRealmsSchema>): RealmPolicy[] {
  return parsed.map((realm) => ({ ...realm }));
}
