import { GatehouseError } from "@gatehouse/core";
import { and, desc, eq, sql } from "drizzle-orm";
import type { ChamaRow } from "./access.ts";
import type { VersionedCache } from "./cache.ts";
import { searchFilter, summaryColumns } from "./chamas.ts";
import { chamas, jobs } from "./db/schema.ts";
import { recordChange } from "./events.ts";
import { toJobView } from "./job-view.ts";
import type { JobQueue } from "./jobs/queue.ts";
import { formatRate } from "./money.ts";
import { countAll, offsetOf, type PageRequest } from "./pages.ts";
import type { Caller, ChamaHubDeps, RequestInfo } from "./ports.ts";
import { toChamaSummary, toStatistics, toTotals } from "./views.ts";

/** The admin console's ChamaHub: every chama, whoever the members are (permissions checked by the route). */
export function adminChamaUseCases(deps: ChamaHubDeps, cache: VersionedCache<unknown>, queue: JobQueue) {
  const { db } = deps;
  const find = async (id: string): Promise<ChamaRow> => {
    const [row] = await db.select().from(chamas).where(eq(chamas.id, id));
    if (!row) throw new GatehouseError("not_found");
    return row;
  };
  const toAdminDetail = (c: ChamaRow) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    rules: c.rules,
    interestRate: formatRate(c.interestRateBp),
    active: c.active,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    memberCount: c.memberCount,
    totals: toTotals(c),
    statistics: toStatistics(c),
  });

  return {
    /** All chamas, searched and paginated: 2 queries. */
    async list(filter: { search?: string | undefined; active?: boolean | undefined }, page: PageRequest) {
      const where = and(
        searchFilter(filter.search),
        filter.active === undefined ? undefined : eq(chamas.active, filter.active),
      );
      const [counted] = await db.select({ count: countAll }).from(chamas).where(where);
      const rows = await db
        .select(summaryColumns)
        .from(chamas)
        .where(where)
        .orderBy(desc(chamas.createdAt), desc(chamas.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      return { count: counted?.count ?? 0, results: rows.map((r) => toChamaSummary(r, null)) };
    },

    detail: async (id: string) => toAdminDetail(await find(id)),

    /** Deactivates (or reactivates) a chama: its members can still read it but change nothing. */
    async setActive(admin: Caller, meta: RequestInfo | null, id: string, active: boolean) {
      const [row] = await db
        .update(chamas)
        .set({ active, updatedAt: deps.clock.now(), version: sql`${chamas.version} + 1` })
        .where(eq(chamas.id, id))
        .returning();
      if (!row) throw new GatehouseError("not_found");
      cache.invalidate(id);
      await recordChange(deps, meta, admin, active ? "chama_activated" : "chama_deactivated", { chamaId: id });
      return toAdminDetail(row);
    },

    /** Every job, newest first, optionally by status: 2 queries. */
    async listJobs(filter: { status?: string | undefined; type?: string | undefined }, page: PageRequest) {
      const where = and(
        filter.status ? eq(jobs.status, filter.status) : undefined,
        filter.type ? eq(jobs.type, filter.type) : undefined,
      );
      const [counted] = await db.select({ count: countAll }).from(jobs).where(where);
      const rows = await db
        .select()
        .from(jobs)
        .where(where)
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(page.pageSize)
        .offset(offsetOf(page));
      return { count: counted?.count ?? 0, results: rows.map(toJobView) };
    },

    async job(id: string) {
      const job = await queue.get(id);
      if (!job) throw new GatehouseError("not_found");
      return toJobView(job);
    },
  };
}
