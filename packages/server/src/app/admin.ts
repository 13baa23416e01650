import {
  type AccountService,
  type AuditFilter,
  type AuditLogReader,
  type Clock,
  GatehouseError,
  type Principal,
  type SessionRecord,
  type SessionService,
} from "@gatehouse/core";
import type { AuditRecorder } from "./audit-recorder.ts";
import { type Actor, actorName, type RequestMeta } from "./request-meta.ts";

export interface PageRequest {
  page: number;
  pageSize: number;
}

/** The admin console's list queries (stores/pg-admin-queries.ts): each costs a fixed number of queries. */
export interface AdminReadModels {
  listPrincipals(
    filter: { realm?: string | undefined; search?: string | undefined },
    page: PageRequest,
  ): Promise<{ count: number; results: Principal[] }>;
  listActiveSessions(
    filter: { realm?: string | undefined; now: Date },
    page: PageRequest,
  ): Promise<{ count: number; results: Array<{ session: SessionRecord; email: string }> }>;
  activeSessionsByRealm(now: Date): Promise<Array<{ realm: string; count: number }>>;
  countEventsByBucket(filter: {
    types: readonly string[];
    since: Date;
    bucket: "hour" | "day";
  }): Promise<Array<{ bucketStart: Date; type: string; count: number }>>;
}

/** Drops admins' cached permission sets on every node (stores/role-permission-resolver.ts). */
export interface PermissionCache {
  invalidate(principalIds: readonly string[]): Promise<void>;
}
/** The overview's time ranges: how far back, and how wide each bar is. */
export const overviewRanges = {
  "24h": { bucket: "hour", buckets: 24, bucketMs: 3_600_000 },
  "7d": { bucket: "day", buckets: 7, bucketMs: 86_400_000 },
  "30d": { bucket: "day", buckets: 30, bucketMs: 86_400_000 },
} as const;
export type OverviewRange = keyof typeof overviewRanges;

/** What counts as a sign-in (password or emailed code) and as a failed one, for the overview chart. */
const signInTypes = ["login_succeeded", "otp_signin"];
const failureTypes = ["login_failed", "captcha_failed", "throttled"];

export interface AdminDeps {
  accounts: AccountService;
  sessions: SessionService;
  audit: AuditRecorder;
  auditLog: AuditLogReader;
  reads: AdminReadModels;
  clock: Clock;
  permissionCache: PermissionCache;
  /** Throws `last_owner_refused` when disabling this admin would leave no enabled owner. */
  keepAnOwner?: (principalId: string) => Promise<void>;
}

/**
 * What an admin may do to any principal. The permission each needs is declared on its route and
 * enforced by the guard before these run; the admin acting is the `actor` of every audit event.
 */
export function adminUseCases(deps: AdminDeps) {
  const { accounts, sessions, audit } = deps;
  const principalOr404 = async (id: string) => {
    const found = await accounts.findInAnyRealm(id);
    if (!found) throw new GatehouseError("not_found");
    return found;
  };
  const recordRevocations = (meta: RequestMeta, admin: Actor, principal: Principal, ids: string[], reason: string) =>
    audit.revocations(meta, {
      realm: principal.realm,
      principalId: principal.id,
      actor: actorName(admin),
      sessionIds: ids,
      details: { reason },
    });

  return {
    listPrincipals: deps.reads.listPrincipals.bind(deps.reads),

    listActiveSessions: (filter: { realm?: string | undefined }, page: PageRequest) =>
      deps.reads.listActiveSessions({ ...filter, now: deps.clock.now() }, page),

    /**
     * The admin overview: live sessions per realm (every configured realm, zero included) and sign-ins
     * and failures per hour or day over the range, every bucket present (oldest first, UTC).
     */
    async overview(range: OverviewRange, realmNames: readonly string[]) {
      const now = deps.clock.now();
      const { bucket, buckets, bucketMs } = overviewRanges[range];
      const currentStart = truncate(now, bucket);
      const since = new Date(currentStart.getTime() - (buckets - 1) * bucketMs);
      const [active, counted] = await Promise.all([
        deps.reads.activeSessionsByRealm(now),
        deps.reads.countEventsByBucket({ types: [...signInTypes, ...failureTypes], since, bucket }),
      ]);
      const series = Array.from({ length: buckets }, (_, i) => ({
        bucketStart: new Date(since.getTime() + i * bucketMs),
        signIns: 0,
        failures: 0,
      }));
      for (const row of counted) {
        const slot = series[Math.round((row.bucketStart.getTime() - since.getTime()) / bucketMs)];
        if (!slot) continue;
        if (signInTypes.includes(row.type)) slot.signIns += row.count;
        else slot.failures += row.count;
      }
      const byRealm = new Map(active.map((row) => [row.realm, row.count]));
      return {
        generatedAt: now,
        range,
        bucket,
        activeSessions: realmNames.map((realm) => ({ realm, count: byRealm.get(realm) ?? 0 })),
        signIns: series,
      };
    },

    searchAudit: (filter: AuditFilter, page: { beforeId?: number | undefined; limit: number }) =>
      deps.auditLog.query(filter, page),

    async principalSessions(principalId: string) {
      const principal = await principalOr404(principalId);
      return { principal, sessions: await sessions.listForPrincipal(principal.realm, principal.id) };
    },

    async revokePrincipalSession(admin: Actor, principalId: string, sessionId: string, meta: RequestMeta) {
      const principal = await principalOr404(principalId);
      const target = await sessions.revokeOwn({ realm: principal.realm, principalId: principal.id }, sessionId);
      if (!target) throw new GatehouseError("not_found");
      await recordRevocations(meta, admin, principal, [target.id], "admin_revoked_one");
    },

    async revokePrincipalSessions(admin: Actor, principalId: string, meta: RequestMeta) {
      const principal = await principalOr404(principalId);
      const ended = await sessions.revokeAllForPrincipal(principal.realm, principal.id);
      await recordRevocations(meta, admin, principal, ended, "admin_revoked_all");
      return { revokedSessions: ended.length };
    },

    /**
     * The account can no longer sign in and every one of its sessions ends; never one's own account.
     * Admin accounts are disabled through the admins API (`admins.manage`, which keeps an owner):
     * `principals.manage` alone does not reach them.
     */
    async disableAccount(
      admin: Actor,
      principalId: string,
      meta: RequestMeta,
      options: { admins: "refuse" | "only" } = { admins: "refuse" },
    ) {
      const target = await principalOr404(principalId);
      if (target.id === admin.principalId) throw new GatehouseError("self_disable_refused");
      const isAdmin = target.realm === admin.realm;
      if (options.admins === "only" && !isAdmin) throw new GatehouseError("not_found");
      if (options.admins === "refuse" && isAdmin) {
        throw new GatehouseError("permission_denied", { details: { permission: "admins.manage" } });
      }
      if (isAdmin) await deps.keepAnOwner?.(target.id);
      const { principal, endedSessionIds } = await accounts.disable(target);
      // A disabled admin holds no permission, on any node, from before this answers.
      await deps.permissionCache.invalidate([principal.id]);
      await audit.record(meta, {
        type: "account_disabled",
        realm: principal.realm,
        principalId: principal.id,
        actor: actorName(admin),
        details: { revokedSessions: endedSessionIds.length },
      });
      await recordRevocations(meta, admin, principal, endedSessionIds, "account_disabled");
      return { principal, revokedSessions: endedSessionIds.length };
    },

    async enableAccount(admin: Actor, principalId: string, meta: RequestMeta) {
      const principal = await accounts.enable(await principalOr404(principalId));
      await deps.permissionCache.invalidate([principal.id]);
      await audit.record(meta, {
        type: "account_enabled",
        realm: principal.realm,
        principalId: principal.id,
        actor: actorName(admin),
      });
      return principal;
    },
  };
}

export type AdminUseCases = ReturnType<typeof adminUseCases>;

/** The start of the UTC hour or day holding `at`. */
function truncate(at: Date, bucket: "hour" | "day"): Date {
  const start = new Date(at);
  start.setUTCMinutes(0, 0, 0);
  if (bucket === "day") start.setUTCHours(0);
  return start;
}
