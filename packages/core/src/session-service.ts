import type { Clock, RandomSource } from "./ports.ts";
import { activityIntervalSeconds, type RealmPolicy, type RealmRegistry } from "./realms.ts";
import { isLive, passedDeadline, type SessionEndReason } from "./session-rules.ts";
import type { SessionRecord, SessionStage, SessionStore } from "./session-store.ts";
import { issueToken, parseToken, secretMatches } from "./tokens.ts";

export type SessionValidation =
  | { ok: true; session: SessionRecord }
  | { ok: false; reason: "missing" | "malformed" | "unknown" | SessionEndReason };

export interface SessionContext {
  ip: string | null;
  userAgent: string | null;
}

export interface CreatedSession {
  token: string;
  session: SessionRecord;
  /** Sessions ended because the principal went past the realm's concurrent-session limit. */
  evictedSessionIds: string[];
}

const msPerSecond = 1000;

/** How long a half-signed-in session (password checked, second factor due) lives. */
export const secondFactorWindowSeconds = 5 * 60;

/**
 * Creates, validates, rotates and revokes sessions. Pure domain logic over an injected store, clock
 * and randomness; it knows nothing of HTTP, cookies or SQL.
 */
export class SessionService {
  constructor(
    private readonly deps: { store: SessionStore; clock: Clock; random: RandomSource; realms: RealmRegistry },
  ) {}

  /**
   * Starts a new session. Remember-me is ignored where the realm does not allow it. A session whose
   * second factor is still due (`stage: "second_factor"`) lives `secondFactorWindowSeconds` at most.
   */
  async create(
    realmName: string,
    principalId: string,
    options: SessionContext & { rememberMe?: boolean; stage?: SessionStage },
  ): Promise<CreatedSession> {
    const realm = this.deps.realms.get(realmName);
    const now = this.deps.clock.now();
    const stage = options.stage ?? "full";
    // Kept on a half-signed-in session too, so finishing the sign-in gives the lifetime asked for.
    const rememberMe = Boolean(options.rememberMe) && realm.rememberMeAbsoluteTimeoutSeconds !== null;
    const lifetimeSeconds =
      stage === "second_factor"
        ? Math.min(secondFactorWindowSeconds, realm.absoluteTimeoutSeconds)
        : rememberMe
          ? (realm.rememberMeAbsoluteTimeoutSeconds as number)
          : realm.absoluteTimeoutSeconds;
    const issued = issueToken(this.deps.random);
    const session: SessionRecord = {
      id: issued.id,
      realm: realm.name,
      principalId,
      secretHash: issued.secretHash,
      createdAt: now,
      lastActivityAt: now,
      idleExpiresAt: idleDeadline(realm, now),
      expiresAt: new Date(now.getTime() + lifetimeSeconds * msPerSecond),
      rememberMe,
      ip: options.ip,
      userAgent: options.userAgent,
      stage,
      authenticatedAt: now,
      rotationDue: false,
    };
    await this.deps.store.insert(session);
    const evictedSessionIds = await this.enforceSessionLimit(realm, principalId);
    return { token: issued.token, session, evictedSessionIds };
  }

  /**
   * Checks a presented token for one realm. Read-only except that activity is recorded at most once
   * per activity interval, and only after the secret verified; `passive` checks never record it.
   */
  async validate(
    realmName: string,
    presented: string | undefined,
    options: { passive?: boolean } = {},
  ): Promise<SessionValidation> {
    if (presented === undefined || presented === "") return { ok: false, reason: "missing" };
    const parsed = parseToken(presented);
    if (!parsed) return { ok: false, reason: "malformed" };
    const realm = this.deps.realms.get(realmName);
    const session = await this.deps.store.findById(parsed.id);
    // A session of another realm is treated as unknown: a token is never adopted across realms.
    if (!session || session.realm !== realm.name || !secretMatches(parsed.secret, session.secretHash)) {
      return { ok: false, reason: "unknown" };
    }
    const now = this.deps.clock.now();
    const ended = passedDeadline(session, now);
    if (ended) return { ok: false, reason: ended };
    if (
      !options.passive &&
      now.getTime() - session.lastActivityAt.getTime() >= activityIntervalSeconds(realm) * msPerSecond
    ) {
      const update = { lastActivityAt: now, idleExpiresAt: idleDeadline(realm, now) };
      await this.deps.store.touch(session.id, update);
      return { ok: true, session: { ...session, ...update } };
    }
    return { ok: true, session };
  }

  /**
   * Issues a new token for an existing session (password or privilege change). The absolute
   * deadline stays: rotation never extends a session's lifetime.
   */
  async rotate(session: SessionRecord): Promise<{ token: string; session: SessionRecord } | null> {
    const realm = this.deps.realms.get(session.realm);
    const now = this.deps.clock.now();
    const issued = issueToken(this.deps.random);
    const next: SessionRecord = {
      ...session,
      id: issued.id,
      secretHash: issued.secretHash,
      lastActivityAt: now,
      idleExpiresAt: idleDeadline(realm, now),
      rotationDue: false,
    };
    const replaced = await this.deps.store.replace(session.id, next);
    return replaced ? { token: issued.token, session: next } : null;
  }

  /**
   * Finishes a sign-in whose second factor (or enrolment) was due: a new token for a full session that
   * lives the realm's whole lifetime from now, proven now. Null when the pending session is gone.
   */
  async completeSignIn(pending: SessionRecord): Promise<{ token: string; session: SessionRecord } | null> {
    const realm = this.deps.realms.get(pending.realm);
    const now = this.deps.clock.now();
    const issued = issueToken(this.deps.random);
    const next: SessionRecord = {
      ...pending,
      id: issued.id,
      secretHash: issued.secretHash,
      lastActivityAt: now,
      idleExpiresAt: idleDeadline(realm, now),
      expiresAt: new Date(
        now.getTime() +
          (pending.rememberMe && realm.rememberMeAbsoluteTimeoutSeconds !== null
            ? realm.rememberMeAbsoluteTimeoutSeconds
            : realm.absoluteTimeoutSeconds) *
            msPerSecond,
      ),
      stage: "full",
      authenticatedAt: now,
      rotationDue: false,
    };
    const replaced = await this.deps.store.replace(pending.id, next);
    return replaced ? { token: issued.token, session: next } : null;
  }

  /** Records a re-authentication (password or code) for step-up; false when the session is gone. */
  markAuthenticated(session: SessionRecord): Promise<boolean> {
    return this.deps.store.markAuthenticated(session.id, this.deps.clock.now());
  }

  /** After a privilege change: each of the principal's sessions gets a new token on its next request. */
  flagRotation(realmName: string, principalId: string): Promise<string[]> {
    return this.deps.store.flagRotation(realmName, principalId);
  }

  async revoke(sessionId: string): Promise<boolean> {
    return this.deps.store.delete(sessionId);
  }

  /** Ends every session of a principal in one realm (optionally keeping one). Other realms are untouched. */
  async revokeAllForPrincipal(
    realmName: string,
    principalId: string,
    options: { exceptId?: string } = {},
  ): Promise<string[]> {
    return this.deps.store.deleteByPrincipal(realmName, principalId, options);
  }

  /** Live sessions of a principal in a realm, newest first. */
  async listForPrincipal(realmName: string, principalId: string): Promise<SessionRecord[]> {
    const now = this.deps.clock.now();
    const sessions = await this.deps.store.listByPrincipal(realmName, principalId);
    return sessions.filter((s) => isLive(s, now));
  }

  /**
   * "Is this session mine": ends `targetId` only if it is a live session of the same principal in the
   * same realm as `owner`. Any other id — another principal's, another realm's, or none — gives null,
   * so a caller cannot tell others' ids from ones that do not exist.
   */
  async revokeOwn(owner: { realm: string; principalId: string }, targetId: string): Promise<SessionRecord | null> {
    const own = await this.listForPrincipal(owner.realm, owner.principalId);
    const target = own.find((s) => s.id === targetId);
    if (!target || !(await this.revoke(target.id))) return null;
    return target;
  }

  private async enforceSessionLimit(realm: RealmPolicy, principalId: string): Promise<string[]> {
    const sessions = await this.deps.store.listByPrincipal(realm.name, principalId);
    const excess = sessions.slice(realm.maxSessionsPerPrincipal);
    const evicted: string[] = [];
    for (const oldest of excess) {
      if (await this.deps.store.delete(oldest.id)) evicted.push(oldest.id);
    }
    return evicted;
  }
}

function idleDeadline(realm: RealmPolicy, lastActivityAt: Date): Date {
  return new Date(lastActivityAt.getTime() + (realm.idleTimeoutSeconds + activityIntervalSeconds(realm)) * msPerSecond);
}
