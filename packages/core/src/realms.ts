/**
 * A realm is an audience with its own principals, cookie, timeouts, CSRF key and revocation scope.
 * Realms are data: the core branches on these fields, never on a realm's name.
 */
export interface RealmPolicy {
  readonly name: string;
  /** Inactivity after which a session ends. */
  readonly idleTimeoutSeconds: number;
  /** Lifetime of a session from sign-in, whatever the activity. */
  readonly absoluteTimeoutSeconds: number;
  /** Lifetime with remember-me, or null when the realm does not allow remember-me. */
  readonly rememberMeAbsoluteTimeoutSeconds: number | null;
  /** At a new sign-in beyond this many sessions, the oldest ones end. */
  readonly maxSessionsPerPrincipal: number;
  readonly cookieSameSite: "lax" | "strict";
  /** Whether anyone may create an account in this realm over the API. */
  readonly selfSignup: boolean;
  /** Whether principals may sign in with an emailed one-time code. */
  readonly otpSignIn: boolean;
  /** Whether this realm's sessions may use the admin API (`/api/admin/…`, with its permissions). */
  readonly adminApi: boolean;
}

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

/** SPEC §2 defaults; docs/sessions.md gives the reason for each value. */
export const defaultRealmPolicies = {
  user: {
    name: "user",
    idleTimeoutSeconds: 7 * day,
    absoluteTimeoutSeconds: 24 * hour,
    rememberMeAbsoluteTimeoutSeconds: 30 * day,
    maxSessionsPerPrincipal: 50,
    cookieSameSite: "lax",
    selfSignup: true,
    otpSignIn: true,
    adminApi: false,
  },
  admin: {
    name: "admin",
    idleTimeoutSeconds: 15 * minute,
    absoluteTimeoutSeconds: 8 * hour,
    rememberMeAbsoluteTimeoutSeconds: null,
    maxSessionsPerPrincipal: 5,
    cookieSameSite: "strict",
    selfSignup: false,
    otpSignIn: false,
    adminApi: true,
  },
} as const satisfies Record<string, RealmPolicy>;

/**
 * Activity is written at most once per this interval (10 % of the idle timeout), so validation is
 * read-only on almost every request. To never end a session early, the idle deadline counts this
 * interval on top of the idle timeout: the session ends between `idle` and `idle + 10 %` after the
 * last real activity — late by at most 10 %, never early.
 */
export function activityIntervalSeconds(realm: RealmPolicy): number {
  return Math.floor(realm.idleTimeoutSeconds / 10);
}

export class RealmRegistry {
  private readonly byName: ReadonlyMap<string, RealmPolicy>;

  constructor(realms: readonly RealmPolicy[]) {
    this.byName = new Map(realms.map((realm) => [realm.name, Object.freeze({ ...realm })]));
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  find(name: string): RealmPolicy | undefined {
    return this.byName.get(name);
  }

  get(name: string): RealmPolicy {
    const realm = this.byName.get(name);
    if (!realm) throw new Error(`Unknown realm "${name}" (a programming error: routes are built from the registry)`);
    return realm;
  }

  all(): RealmPolicy[] {
    return [...this.byName.values()];
  }

  /** The realms whose sessions may use the admin API. */
  adminRealms(): RealmPolicy[] {
    return this.all().filter((realm) => realm.adminApi);
  }
}
