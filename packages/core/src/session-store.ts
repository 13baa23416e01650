/**
 * How far sign-in went: `full` (every route its permissions allow), `second_factor` (password checked,
 * the TOTP code still due: only the code route, the session endpoint and logout), `enrolment` (a second
 * factor is required and none is enrolled: only enrolment, the session endpoint and logout).
 */
export type SessionStage = "full" | "second_factor" | "enrolment";

/** A stored session. `secretHash` never leaves the server; map to a public shape before answering. */
export interface SessionRecord {
  id: string;
  realm: string;
  principalId: string;
  secretHash: string;
  createdAt: Date;
  lastActivityAt: Date;
  /** The idle deadline: moves forward when activity is recorded. */
  idleExpiresAt: Date;
  /** The absolute deadline: fixed at sign-in. */
  expiresAt: Date;
  rememberMe: boolean;
  ip: string | null;
  userAgent: string | null;
  stage: SessionStage;
  /** The last time the principal proved who they are in this session (sign-in, re-authentication): step-up. */
  authenticatedAt: Date;
  /** Set when the principal's privileges changed: the next request swaps the token (SPEC §2). */
  rotationDue: boolean;
}

/**
 * Session persistence. Implementations: memory (unit-test double), PGlite and PostgreSQL; all pass
 * the same contract suite. A cache can wrap an implementation without the service noticing.
 * Methods throw StorageUnavailableError when the backing service is unreachable.
 */
export interface SessionStore {
  insert(record: SessionRecord): Promise<void>;
  findById(id: string): Promise<SessionRecord | null>;
  /** Records activity. A no-op when the session is gone. */
  touch(id: string, update: { lastActivityAt: Date; idleExpiresAt: Date }): Promise<void>;
  /** Atomically swaps a session for a new one (rotation). False when the old one was already gone. */
  replace(oldId: string, next: SessionRecord): Promise<boolean>;
  /** Ends one session. True when it existed. */
  delete(id: string): Promise<boolean>;
  /** Ends every session of one principal in one realm, optionally keeping one. Returns the ended ids. */
  deleteByPrincipal(realm: string, principalId: string, options?: { exceptId?: string }): Promise<string[]>;
  /** Records a fresh proof of identity (re-authentication). False when the session is gone. */
  markAuthenticated(id: string, at: Date): Promise<boolean>;
  /** Flags every session of one principal in one realm for rotation; returns their ids. */
  flagRotation(realm: string, principalId: string): Promise<string[]>;
  /** Sessions of one principal in one realm, newest first. */
  listByPrincipal(realm: string, principalId: string): Promise<SessionRecord[]>;
}
