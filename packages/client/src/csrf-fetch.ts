import { errorCodeOf } from "./api-client.ts";

/** Methods that change state: they carry the realm's CSRF token. */
export function isUnsafeMethod(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

export const csrfHeader = "X-CSRF-Token";

/** A fetch for one realm's API that sends its CSRF token and recovers once from a rejected one. */
export interface CsrfFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  readonly realm: string;
  /** The token unsafe requests carry now (from the last login, session answer or refresh). */
  token(): string | undefined;
  /** Sets (or forgets) the token, e.g. from a login answer read elsewhere. */
  setToken(token: string | undefined): void;
  /** Fetches a fresh token from the passive session call; concurrent callers share one request. */
  refresh(): Promise<string | undefined>;
}

export interface CsrfFetchOptions {
  realm: string;
  /** The server origin; "" (default) for same-origin calls. */
  baseUrl?: string;
  /** The underlying fetch (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Paths whose JSON answers may carry a new `csrfToken` (login, signup, code sign-in, session, password change). */
function carriesToken(pathname: string, realm: string): boolean {
  return pathname.startsWith(`/api/${realm}/auth/`);
}

/**
 * The realm's CSRF manager as a fetch. Unsafe requests carry `X-CSRF-Token`. When the server rejects
 * the token (403 `csrf_token_invalid`, e.g. after the session rotated in another tab), the token is
 * refreshed **once, single-flight** through the passive session call (which never counts as activity),
 * and the request is retried **once**; a second rejection is returned as is, never looped. A request
 * that was sent with a token that has since been replaced is retried with the current one without a
 * new refresh, so any number of concurrent rejections cost exactly one refresh.
 */
export function createCsrfFetch(options: CsrfFetchOptions): CsrfFetch {
  const realm = options.realm;
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const sessionUrl = `${options.baseUrl ?? ""}/api/${realm}/auth/session?passive=true`;
  let token: string | undefined;
  let inFlight: Promise<string | undefined> | null = null;

  const refresh = (): Promise<string | undefined> => {
    inFlight ??= (async () => {
      try {
        const response = await base(
          new Request(resolve(sessionUrl), { credentials: "same-origin", headers: { accept: "application/json" } }),
        );
        const body = response.ok ? ((await response.json()) as { csrfToken?: unknown }) : undefined;
        token = typeof body?.csrfToken === "string" ? body.csrfToken : undefined;
        return token;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  const remember = async (request: Request, response: Response) => {
    const { pathname } = new URL(request.url);
    if (!carriesToken(pathname, realm)) return;
    if (pathname === `/api/${realm}/auth/logout` && response.ok) {
      token = undefined;
      return;
    }
    if (!response.ok || !response.headers.get("content-type")?.includes("application/json")) return;
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { csrfToken?: unknown } | undefined;
    if (typeof body?.csrfToken === "string") token = body.csrfToken;
  };

  const csrfFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(typeof input === "string" ? resolve(input) : input, init);
    if (!isUnsafeMethod(request.method)) {
      const response = await base(request);
      await remember(request, response);
      return response;
    }
    const sentToken = token;
    // The body of a Request can be read once: keep a copy for the single retry.
    const spare = request.clone();
    if (sentToken) request.headers.set(csrfHeader, sentToken);
    const response = await base(request);
    if (
      response.status !== 403 ||
      errorCodeOf(
        await response
          .clone()
          .json()
          .catch(() => undefined),
      ) !== "csrf_token_invalid"
    ) {
      await remember(request, response);
      return response;
    }
    // Replaced since this request left (another rejection already refreshed it): reuse, don't refresh.
    const fresh = token !== sentToken ? token : inFlight ? await inFlight : await refresh();
    if (!fresh) return response;
    spare.headers.set(csrfHeader, fresh);
    const retried = await base(spare);
    await remember(spare, retried);
    return retried;
  };

  return Object.assign(csrfFetch, {
    realm,
    token: () => token,
    setToken: (value: string | undefined) => {
      token = value;
    },
    refresh,
  });
}

/** Relative URLs resolve against the page (in a browser); elsewhere they must be absolute. */
function resolve(url: string): string {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  return here ? new URL(url, here).toString() : url;
}
