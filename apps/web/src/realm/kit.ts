import {
  type CsrfFetch,
  createCsrfFetch,
  createGatehouseClient,
  createRealmChannel,
  errorCodeOf,
  type GatehouseClient,
  type RealmChannel,
  type RealmStorage,
  realmStorage,
  type Schemas,
} from "@gatehouse/client";

export type Realm = "user" | "admin";
export type Authenticated = Schemas["Authenticated"];

/** Everything one realm's pages use: its CSRF-aware fetch, typed client, cross-tab channel and storage. */
export interface RealmKit {
  realm: Realm;
  fetch: CsrfFetch;
  api: GatehouseClient;
  channel: RealmChannel;
  /** sessionStorage under this realm's keys: where to return after sign-in, why the last sign-out happened. */
  storage: RealmStorage;
  loginPath: string;
  homePath: string;
}

const kits = new Map<Realm, RealmKit>();

/** One kit per realm and page (the CSRF token lives in memory only, never in storage). */
export function realmKit(realm: Realm): RealmKit {
  let kit = kits.get(realm);
  if (!kit) {
    const fetch = createCsrfFetch({ realm });
    kit = {
      realm,
      fetch,
      api: createGatehouseClient({ fetch }),
      channel: createRealmChannel(realm),
      storage: realmStorage(realm, window.sessionStorage),
      loginPath: realm === "admin" ? "/admin/login" : "/login",
      homePath: realm === "admin" ? "/admin" : "/",
    };
    kits.set(realm, kit);
  }
  return kit;
}

/**
 * The realm's path for an operation both realms offer (same shapes): typed as the user realm's.
 * `realmPath("admin", "/auth/session")` is `/api/admin/auth/session`.
 */
export function realmPath<const S extends string>(realm: Realm, suffix: S): `/api/user${S}` {
  return `/api/${realm}${suffix}` as `/api/user${S}`;
}

/** A failed API answer, with its catalogued code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The data of an openapi-fetch answer, or an ApiError carrying the server's code and message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const message = (result.error as { error?: { message?: string } } | undefined)?.error?.message;
  throw new ApiError(
    result.response.status,
    errorCodeOf(result.error),
    message ?? `Request failed (${result.response.status})`,
  );
}

/** The session ended (signed out elsewhere, expired, revoked). */
export function isSignedOutError(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "not_authenticated" || error.code === "session_expired");
}

/** For diagnostics and the browser tests: call a realm's API through the page's own CSRF manager. */
declare global {
  interface Window {
    __gatehouse?: { fetch(realm: Realm, url: string, init?: RequestInit): Promise<number> };
  }
}
window.__gatehouse = {
  fetch: async (realm, url, init) => (await realmKit(realm).fetch(url, init)).status,
};
