import { randomUUID } from "node:crypto";
import { and, desc, eq, ilike, or, sql } from "drizzle-orm";
import { membershipOf, requireActive, requireOfficer } from "./access.ts";
import { VersionedCache } from "./cache.ts";
import { chamas, contributions, members } from "./db/schema.ts";
import { recordChange } from "./events.ts";
import { formatCents, formatRate, parseRateBp } from "./money.ts";
import { containsPattern, countAll, offsetOf, type PageRequest } from "./pages.ts";
import type { Caller, ChamaHubDeps, RequestInfo } from "./ports.ts";
import type { Role } from "./rules.ts";
import { sanitizeDescription } from "./sanitize.ts";
import { personView, toChamaSummary, toStatistics, toTotals } from "./views.ts";

export interface ChamaInput {
  name: string;
  description?: string | undefined;
  rules?: string | undefined;
  interestRate?: string | number | undefined;
}

/** The columns a chama list shows (never the whole row: descriptions are cut to 200 characters). */
export const summaryColumns = {
  id: chamas.id,
  name: chamas.name,
  description: sql<string>`left(${chamas.description}, 200)`,
  interestRateBp: chamas.interestRateBp,
  active: chamas.active,
  memberCount: chamas.memberCount,
  availableBalanceCents: chamas.availableBalanceCents,
  totalContributionsCents: chamas.totalContributionsCents,
  createdAt: chamas.createdAt,
};

export const searchFilter = (search: string | undefined) =>
  search
    ? or(ilike(chamas.name, containsPattern(search)), ilike(chamas.description, containsPattern(search)))
    : undefined;

export function chamaUseCases(deps: ChamaHubDeps, cache: VersionedCache<unknown> = new VersionedCache()) {
  const { db, clock } = deps;

  const buildDetail = async (chama: Awaited<ReturnType<typeof membershipOf>>["chama"]) => {
    const recent = await db
      .select({
        id: contributions.id,
        amountCents: contributions.amountCents,
        date: contributions.date,
        status: contributions.status,
        memberId: contributions.memberId,
        principalId: members.principalId,
      })
      .from(contributions)
      .innerJoin(members, eq(members.id, contributions.memberId))
      .where(eq(contributions.chamaId, chama.id))
      .orderBy(desc(contributions.date), desc(contributions.createdAt))
      .limit(10);
    const people = await deps.people.byIds([...new Set(recent.map((r) => r.principalId))]);
    return {
      id: chama.id,
      name: chama.name,
      description: chama.description,
      rules: chama.rules,
      interestRate: formatRate(chama.interestRateBp),
      active: chama.active,
      createdAt: chama.createdAt.toISOString(),
      updatedAt: chama.updatedAt.toISOString(),
      memberCount: chama.memberCount,
      totals: toTotals(chama),
      statistics: toStatistics(chama),
      recentContributions: recent.map((r) => ({
        id: r.id,
        memberId: r.memberId,
        member: personView(people.get(r.principalId)),
        amount: formatCents(r.amountCents),
        date: r.date,
        status: r.status,
      })),
    };
  };

  return {
    buildDetail,
    cache,

    /** The caller's chamas, searched by name or description (case-insensitive), newest first: 2 queries. */
    async listMine(caller: Caller, filter: { search?: string | undefined }, page: PageRequest) {
      const where = and(
        eq(members.principalId, caller.principalId),
        eq(members.active, true),
        searchFilter(filter.search),
      );
      const [counted] = await db
        .select({ count: countAll })
        .from(members)
        .innerJoin(chamas, eq(chamas.id, members.chamaId))
        .where(where);
      const rows = await db
        .select({ ...summaryColumns, role: members.role })
        .from(members)
        .innerJoin(chamas, eq(chamas.id, members.chamaId))
        .where(where)
        .orderBy(desc(chamas.createdAt), desc(chamas.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      return { count: counted?.count ?? 0, results: rows.map((r) => toChamaSummary(r, r.role as Role)) };
    },

    /** Creates a chama with its creator as chairperson, in one transaction. */
    async create(caller: Caller, meta: RequestInfo | null, input: ChamaInput) {
      const now = clock.now();
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await tx.insert(chamas).values({
          id,
          name: input.name.trim(),
          description: sanitizeDescription(input.description ?? ""),
          rules: input.rules ?? "",
          interestRateBp: input.interestRate === undefined ? 0 : parseRateBp(input.interestRate),
          createdBy: caller.principalId,
          createdAt: now,
          updatedAt: now,
          memberCount: 1,
        });
        await tx.insert(members).values({
          id: randomUUID(),
          chamaId: id,
          principalId: caller.principalId,
          role: "chairperson",
          joinedAt: now,
        });
      });
      await recordChange(deps, meta, caller, "chama_created", { chamaId: id });
      const membership = await membershipOf(db, id, caller.principalId);
      return { ...(await buildDetail(membership.chama)), myRole: membership.role };
    },

    /**
     * The detail for a member, with an ETag made of the row's version and the caller's role. When the
     * client's `If-None-Match` matches, only the membership query ran and `detail` is undefined (304).
     */
    async detail(caller: Caller, chamaId: string, ifNoneMatch?: string | undefined) {
      const { chama, role } = await membershipOf(db, chamaId, caller.principalId);
      const etag = `W/"chama-${chama.id}-v${chama.version}-${role}"`;
      if (ifNoneMatch?.split(",").some((tag) => tag.trim() === etag)) return { etag, detail: undefined };
      let detail = cache.get(chama.id, chama.version) as Awaited<ReturnType<typeof buildDetail>> | undefined;
      if (!detail) {
        detail = await buildDetail(chama);
        cache.set(chama.id, chama.version, detail);
      }
      return { etag, detail: { ...detail, myRole: role } };
    },

    /** Statistics straight from the totals row (kept exact by every write's transaction): one query. */
    async statistics(caller: Caller, chamaId: string) {
      const { chama } = await membershipOf(db, chamaId, caller.principalId);
      return toStatistics(chama);
    },

    async update(caller: Caller, meta: RequestInfo | null, chamaId: string, patch: Partial<ChamaInput>) {
      const membership = await membershipOf(db, chamaId, caller.principalId);
      requireOfficer(membership);
      requireActive(membership.chama);
      const values: Partial<typeof chamas.$inferInsert> = {};
      if (patch.name !== undefined) values.name = patch.name.trim();
      if (patch.description !== undefined) values.description = sanitizeDescription(patch.description);
      if (patch.rules !== undefined) values.rules = patch.rules;
      if (patch.interestRate !== undefined) values.interestRateBp = parseRateBp(patch.interestRate);
      await db
        .update(chamas)
        .set({ ...values, updatedAt: clock.now(), version: sql`${chamas.version} + 1` })
        .where(eq(chamas.id, chamaId));
      cache.invalidate(chamaId);
      await recordChange(deps, meta, caller, "chama_updated", { chamaId, fields: Object.keys(values) });
      return this.detail(caller, chamaId).then((r) => r.detail);
    },
  };
}
