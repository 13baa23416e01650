import { randomUUID } from "node:crypto";
import { GatehouseError } from "@gatehouse/core";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { membershipOf, requireActive, requireOfficer } from "./access.ts";
import type { VersionedCache } from "./cache.ts";
import { chamas, members } from "./db/schema.ts";
import { recordChange } from "./events.ts";
import { countAll, offsetOf, type PageRequest } from "./pages.ts";
import type { Caller, ChamaDb, ChamaHubDeps, RequestInfo } from "./ports.ts";
import { isOfficer, type Role } from "./rules.ts";
import { personView } from "./views.ts";

type Tx = Parameters<Parameters<ChamaDb["transaction"]>[0]>[0];

/** Locks the chama row: membership changes of one chama run one at a time (the last-chairperson rule). */
async function lockChama(tx: Tx, chamaId: string): Promise<void> {
  await tx.select({ id: chamas.id }).from(chamas).where(eq(chamas.id, chamaId)).for("update");
}

/** Refuses a change that would leave the chama without an active chairperson. */
async function keepAChairperson(tx: Tx, chamaId: string, leavingMemberId: string): Promise<void> {
  const [others] = await tx
    .select({ count: countAll })
    .from(members)
    .where(
      and(
        eq(members.chamaId, chamaId),
        eq(members.active, true),
        eq(members.role, "chairperson"),
        ne(members.id, leavingMemberId),
      ),
    );
  if ((others?.count ?? 0) === 0) throw new GatehouseError("last_chairperson_refused");
}

/** Re-checks, under the chama lock, that the caller is still an officer (a concurrent change may have demoted them). */
async function stillOfficer(tx: Tx, chamaId: string, callerMemberId: string): Promise<void> {
  const [row] = await tx
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.id, callerMemberId), eq(members.chamaId, chamaId), eq(members.active, true)));
  if (!row) throw new GatehouseError("not_found");
  if (!isOfficer(row.role as Role)) throw new GatehouseError("forbidden");
}

const memberColumns = {
  id: members.id,
  principalId: members.principalId,
  role: members.role,
  joinedAt: members.joinedAt,
  active: members.active,
};

export function memberUseCases(deps: ChamaHubDeps, cache: VersionedCache<unknown>) {
  const { db, clock } = deps;
  const touch = (tx: Tx, chamaId: string, memberDelta: number) =>
    tx
      .update(chamas)
      .set({
        memberCount: sql`${chamas.memberCount} + ${memberDelta}`,
        version: sql`${chamas.version} + 1`,
        updatedAt: clock.now(),
      })
      .where(eq(chamas.id, chamaId));

  const findMember = async (tx: Tx, chamaId: string, memberId: string) => {
    const [row] = await tx
      .select(memberColumns)
      .from(members)
      .where(and(eq(members.chamaId, chamaId), eq(members.id, memberId), eq(members.active, true)));
    if (!row) throw new GatehouseError("not_found");
    return row;
  };

  return {
    /** Active members in joining order: 4 queries whatever the page size. */
    async list(caller: Caller, chamaId: string, page: PageRequest) {
      await membershipOf(db, chamaId, caller.principalId);
      const where = and(eq(members.chamaId, chamaId), eq(members.active, true));
      const [counted] = await db.select({ count: countAll }).from(members).where(where);
      const rows = await db
        .select(memberColumns)
        .from(members)
        .where(where)
        .orderBy(asc(members.joinedAt), asc(members.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      const people = await deps.people.byIds(rows.map((r) => r.principalId));
      return {
        count: counted?.count ?? 0,
        results: rows.map((r) => ({
          id: r.id,
          principalId: r.principalId,
          ...personView(people.get(r.principalId)),
          role: r.role as Role,
          joinedAt: r.joinedAt.toISOString(),
        })),
      };
    },

    /** Adds an existing user (by email) to the chama. Officers only. */
    async invite(caller: Caller, meta: RequestInfo | null, chamaId: string, input: { email: string; role: Role }) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const person = await deps.people.findByEmail(input.email);
      if (!person) throw new GatehouseError("not_found", { details: { reason: "no_such_user" } });
      const id = randomUUID();
      const joinedAt = clock.now();
      await db.transaction(async (tx) => {
        await lockChama(tx, chamaId);
        const [existing] = await tx
          .select({ id: members.id })
          .from(members)
          .where(and(eq(members.chamaId, chamaId), eq(members.principalId, person.id), eq(members.active, true)));
        if (existing) throw new GatehouseError("already_member");
        await tx.insert(members).values({ id, chamaId, principalId: person.id, role: input.role, joinedAt });
        await touch(tx, chamaId, 1);
      });
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_member_added", { chamaId, memberId: id, role: input.role });
      return { id, principalId: person.id, ...personView(person), role: input.role, joinedAt: joinedAt.toISOString() };
    },

    /** Changes a member's role. Officers only; the last chairperson cannot be demoted. */
    async changeRole(caller: Caller, meta: RequestInfo | null, chamaId: string, memberId: string, role: Role) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const before = await db.transaction(async (tx) => {
        await lockChama(tx, chamaId);
        await stillOfficer(tx, chamaId, membership.memberId);
        const target = await findMember(tx, chamaId, memberId);
        if (target.role === "chairperson" && role !== "chairperson") await keepAChairperson(tx, chamaId, memberId);
        await tx.update(members).set({ role }).where(eq(members.id, memberId));
        await touch(tx, chamaId, 0);
        return target.role;
      });
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_member_role_changed", {
        chamaId,
        memberId,
        from: before,
        to: role,
      });
    },

    /**
     * Ends a membership: an officer removing someone, or a member leaving (their own id). The last
     * chairperson can do neither to themselves.
     */
    async deactivate(caller: Caller, meta: RequestInfo | null, chamaId: string, memberId: string) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      if (membership.memberId !== memberId) requireOfficer(membership);
      await db.transaction(async (tx) => {
        await lockChama(tx, chamaId);
        if (membership.memberId !== memberId) await stillOfficer(tx, chamaId, membership.memberId);
        const target = await findMember(tx, chamaId, memberId);
        if (target.role === "chairperson") await keepAChairperson(tx, chamaId, memberId);
        await tx.update(members).set({ active: false, leftAt: clock.now() }).where(eq(members.id, memberId));
        await touch(tx, chamaId, -1);
      });
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_member_removed", {
        chamaId,
        memberId,
        self: membership.memberId === memberId,
      });
    },
  };
}
