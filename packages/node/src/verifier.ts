import type { GatehouseError, GatehouseIdentity, IncomingRequestFacts, Verification } from "./types.ts";

export interface VerifierOptions {
  /** Gatehouse's address as this server reaches it, e.g. `http://127.0.0.1:3000`. */
  gatehouseUrl: string | URL;
  /** The realm whose session this app accepts (`user`, `admin`, or an EXTRA_REALMS one). */
  realm: string;
  /**
   * How long (ms) a positive answer for a safe request may be reused without asking Gatehouse again:
   * 0 (the default) asks on every request, so a revocation is refused on the very next request. At
   * most 1000: a revoked session can then still be accepted by this app for up to that long.
   */
  cacheMs?: number;
  /** Gatehouse must answer within this long (ms), or the request is refused with 503. Default 5000. */
  timeoutMs?: number;
  /** For tests: the fetch to use and the clock of the cache. */
  fetch?: typeof fetch;
  now?: () => number;
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);
const maxCacheMs = 1000;
const maxCacheEntries = 10_000;

/** The session cookie names Gatehouse uses for a realm (`__Host-` on https/localhost, plain otherwise). */
export function sessionCookieNames(realm: string): string[] {
  return [`__Host-${realm}_session`, `${realm}_session`];
}

/** The `Cookie` header reduced to the realm's session cookie: Gatehouse gets nothing else of the app's. */
export function realmCookieHeader(cookie: string | undefined, realm: string): string | undefined {
  if (!cookie) return undefined;
  const names = new Set(sessionCookieNames(realm));
  const kept = cookie
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => names.has(pair.slice(0, pair.indexOf("=")).trim()));
  return kept.length > 0 ? kept.join("; ") : undefined;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Asks Gatehouse's forward-auth endpoint (`GET /api/{realm}/auth/verify`) about one request: the
 * session cookie, method, CSRF token and origin headers go along, so Gatehouse applies its own
 * session, activity, CSRF and cross-site rules. Web-standard APIs only (fetch, Web Crypto): it runs
 * in Node and in edge runtimes.
 */
export class GatehouseVerifier {
  private readonly endpoint: URL;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { identity: GatehouseIdentity; until: number }>();

  constructor(private readonly options: VerifierOptions) {
    if (!/^[a-z][a-z0-9]{1,19}$/.test(options.realm)) throw new Error(`@gatehouse/node: bad realm "${options.realm}"`);
    this.endpoint = new URL(`/api/${options.realm}/auth/verify`, options.gatehouseUrl);
    this.cacheMs = Math.min(Math.max(0, options.cacheMs ?? 0), maxCacheMs);
  }

  get realm(): string {
    return this.options.realm;
  }

  async verify(facts: IncomingRequestFacts): Promise<Verification> {
    const cookie = realmCookieHeader(facts.cookie, this.options.realm);
    if (!cookie) {
      return {
        ok: false,
        status: 401,
        error: { code: "not_authenticated", message: "No session cookie." },
        setCookies: [],
      };
    }
    const cacheable = this.cacheMs > 0 && safeMethods.has(facts.method.toUpperCase());
    const key = cacheable ? await sha256(cookie) : "";
    const now = (this.options.now ?? Date.now)();
    if (cacheable) {
      const hit = this.cache.get(key);
      if (hit && hit.until > now) return { ok: true, identity: hit.identity, setCookies: [] };
      if (hit) this.cache.delete(key);
    }
    const verification = await this.ask(cookie, facts);
    if (cacheable && verification.ok) this.remember(key, verification.identity, now);
    return verification;
  }

  private remember(key: string, identity: GatehouseIdentity, now: number): void {
    if (this.cache.size >= maxCacheEntries) this.cache.clear();
    const deadline = Math.min(Date.parse(identity.session.idleExpiresAt), Date.parse(identity.session.expiresAt));
    this.cache.set(key, { identity, until: Math.min(now + this.cacheMs, deadline) });
  }

  private async ask(cookie: string, facts: IncomingRequestFacts): Promise<Verification> {
    const headers: Record<string, string> = { cookie, "x-forwarded-method": facts.method.toUpperCase() };
    if (facts.csrfToken) headers["x-csrf-token"] = facts.csrfToken;
    if (facts.origin) headers.origin = facts.origin;
    if (facts.secFetchSite) headers["sec-fetch-site"] = facts.secFetchSite;
    if (facts.forwardedFor) headers["x-forwarded-for"] = facts.forwardedFor;
    if (facts.passive) headers["x-gatehouse-passive"] = "true";
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.endpoint, {
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch {
      // Fail closed: no answer is no session.
      return { ok: false, status: 503, error: unreachable, setCookies: [] };
    }
    const setCookies = response.headers.getSetCookie();
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.status === 200 && body && typeof body.csrfToken === "string") {
      const identity = {
        principal: body.principal,
        session: body.session,
        csrfToken: body.csrfToken,
        sessionIdHash: response.headers.get("x-gatehouse-session-id") ?? "",
      } as GatehouseIdentity;
      return { ok: true, identity, setCookies };
    }
    const candidate = body?.error;
    const error: GatehouseError = isGatehouseError(candidate)
      ? candidate
      : {
          code: response.status >= 500 ? "gatehouse_unreachable" : "not_authenticated",
          message: `Gatehouse answered ${response.status}.`,
        };
    return { ok: false, status: response.status === 200 ? 502 : response.status, error, setCookies };
  }
}

function isGatehouseError(value: unknown): value is GatehouseError {
  return typeof value === "object" && value !== null && typeof (value as GatehouseError).code === "string";
}

const unreachable: GatehouseError = {
  code: "gatehouse_unreachable",
  message: "Gatehouse could not be asked about this session.",
};
