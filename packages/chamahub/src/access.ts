import { GatehouseError } from "@gatehouse/core";
import { and, eq } from "drizzle-orm";
import { chamas, members } from "./db/schema.ts";
import type { ChamaDb } from "./ports.ts";
import { isOfficer, type Role } from "./rules.ts";

export type ChamaRow = typeof chamas.$inferSelect;

export interface Membership {
  memberId: string;
  role: Role;
  chama: ChamaRow;
}

/**
 * The caller's active membership of a chama, with the chama row, in one query. Anyone else gets
 * `not_found`, exactly as for an id that does not exist: a chama's existence is not revealed to outsiders.
 */
export async function membershipOf(db: ChamaDb, chamaId: string, principalId: string): Promise<Membership> {
  const [row] = await db
    .select({ memberId: members.id, role: members.role, chama: chamas })
    .from(members)
    .innerJoin(chamas, eq(chamas.id, members.chamaId))
    .where(and(eq(members.chamaId, chamaId), eq(members.principalId, principalId), eq(members.active, true)))
    .limit(1);
  if (!row) throw new GatehouseError("not_found");
  return { memberId: row.memberId, role: row.role as Role, chama: row.chama };
}

/** Only a chairperson or treasurer may do this; a plain member (or secretary) gets 403. */
export function requireOfficer(membership: Membership): void {
  if (!isOfficer(membership.role)) throw new GatehouseError("forbidden");
}

/** A deactivated chama can be read but not changed. */
export function requireActive(chama: ChamaRow): void {
  if (!chama.active) throw new GatehouseError("invalid_state", { details: { reason: "chama_inactive" } });
}
