/** The principal Gatehouse reports (`Principal` in its OpenAPI document). */
export interface GatehousePrincipal {
  id: string;
  realm: string;
  email: string;
  displayName: string | null;
  createdAt: string;
}

/** The session Gatehouse reports (`Session` in its OpenAPI document): never the token. */
export interface GatehouseSession {
  id: string;
  realm: string;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  rememberMe: boolean;
}

/** Who is signed in, as `GET /api/{realm}/auth/verify` answered. */
export interface GatehouseIdentity {
  principal: GatehousePrincipal;
  session: GatehouseSession;
  /** The session's CSRF token, for pages this app renders that make unsafe requests. */
  csrfToken: string;
  /** The hash of the session id that Gatehouse's audit log records (`X-Gatehouse-Session-Id`). */
  sessionIdHash: string;
}

/** Gatehouse's error body, or this package's own when Gatehouse could not be asked. */
export interface GatehouseError {
  code: string;
  message: string;
  details?: unknown;
}

export type Verification =
  | { ok: true; identity: GatehouseIdentity; setCookies: string[] }
  | {
      ok: false;
      /** Gatehouse's status (401, 403, 429, 503…), or 503 when it could not be reached. */
      status: number;
      error: GatehouseError;
      /** `Set-Cookie` headers to pass on to the browser: Gatehouse clearing a dead session's cookie. */
      setCookies: string[];
    };

/** What the verify endpoint needs to know about the request being judged. */
export interface IncomingRequestFacts {
  method: string;
  /** The browser's `Cookie` header; only the realm's session cookie is sent on to Gatehouse. */
  cookie: string | undefined;
  csrfToken: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The client's address, for Gatehouse's per-IP throttling (believed when this app is in TRUSTED_PROXIES). */
  forwardedFor: string | undefined;
  /** A background check that should not count as activity (`X-Gatehouse-Passive: true`). */
  passive: boolean;
}
