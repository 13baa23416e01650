import type { Caller } from "@gatehouse/chamahub";
import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { RouteMeta } from "../../http/route-meta.ts";

/** What every ChamaHub user route is registered with: the realm whose members use it. */
export interface ChamaRouteDeps {
  realm: RealmPolicy;
}

/** A signed-in member route: the session guard checks the session (and CSRF on unsafe methods). */
export function memberMeta(realm: RealmPolicy): { gatehouse: RouteMeta } {
  return { gatehouse: { realm, auth: "required" } };
}

/** The signed-in user making the request. */
export function caller(request: FastifyRequest): Caller {
  const { session } = request.auth as NonNullable<FastifyRequest["auth"]>;
  return { realm: session.realm, principalId: session.principalId };
}

export const chamaParams = z.strictObject({ id: z.uuid() });
export const memberParams = z.strictObject({ id: z.uuid(), memberId: z.uuid() });
export const loanParams = z.strictObject({ id: z.uuid(), loanId: z.uuid() });

/** KSh as a decimal string with 2 decimals ("1500.00"): exact, never a float. */
export const money = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe("KSh, exact, two decimals");
/** An amount in a request: "1500", "1500.5" or 1500.5 (at most 2 decimals; checked exactly as text). */
export const amountInput = z.union([z.string().max(20), z.number()]);
export const isoDate = z.iso.date();

export const person = { email: z.string(), displayName: z.string().nullable() };
export const role = z.enum(["chairperson", "treasurer", "secretary", "member"]);
