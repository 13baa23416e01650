import type { paths } from "@gatehouse/client/schema";
import createClient, { type Client } from "openapi-fetch";

/**
 * A typed Gatehouse API client for Node (scripts, server-to-server, tests): openapi-fetch over the
 * types `@gatehouse/client` generates from `/api/openapi.json`, plus what a browser would do for it —
 * a cookie jar for Gatehouse's origin, and the realm's `X-CSRF-Token` on unsafe requests, refreshed
 * once (single-flight) when Gatehouse says it is stale.
 */
export interface NodeClientOptions {
  /** Gatehouse's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string | URL;
  fetch?: typeof fetch;
}

export interface GatehouseNodeClient {
  /** Every operation of the API, typed: `api.POST("/api/user/auth/login", { body })`, `api.GET(...)`. */
  api: Client<paths>;
  /** The cookies held for Gatehouse's origin (name → value): the realms' session cookies. */
  cookies: Map<string, string>;
  /** The CSRF token of each realm's current session (from sign-in or the session endpoint). */
  csrfTokens: Map<string, string>;
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `/api/<segment>/…`: the realm a request speaks to (the admin API is the admin realm's). */
function realmOf(url: URL): string | undefined {
  return /^\/api\/([a-z][a-z0-9]*)\//.exec(url.pathname)?.[1];
}

/** The realm a session cookie belongs to (`__Host-<realm>_session` or `<realm>_session`). */
function realmOfCookie(name: string): string | undefined {
  return /^(?:__Host-)?([a-z][a-z0-9]*)_session$/.exec(name)?.[1];
}

/** Applies one `Set-Cookie` to the jar: stores it, or deletes it when it is cleared or expired. */
function applySetCookie(jar: Map<string, string>, header: string, now: number): string | undefined {
  const [pair = "", ...attributes] = header.split(";");
  const at = pair.indexOf("=");
  if (at <= 0) return undefined;
  const name = pair.slice(0, at).trim();
  const value = pair.slice(at + 1).trim();
  const attribute = (key: string) =>
    attributes
      .map((a) => a.trim())
      .find((a) => a.toLowerCase().startsWith(`${key}=`))
      ?.slice(key.length + 1);
  const maxAge = attribute("max-age");
  const expires = attribute("expires");
  const cleared =
    value === "" ||
    (maxAge !== undefined && Number(maxAge) <= 0) ||
    (expires !== undefined && Date.parse(expires) <= now);
  if (cleared) jar.delete(name);
  else jar.set(name, value);
  return name;
}

export function createGatehouseNodeClient(options: NodeClientOptions): GatehouseNodeClient {
  const baseFetch = options.fetch ?? fetch;
  const cookies = new Map<string, string>();
  const csrfTokens = new Map<string, string>();
  const refreshing = new Map<string, Promise<void>>();

  async function send(request: Request): Promise<Response> {
    const headers = new Headers(request.headers);
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const realm = realmOf(new URL(request.url));
    const token = realm ? csrfTokens.get(realm) : undefined;
    if (unsafeMethods.has(request.method) && token) headers.set("x-csrf-token", token);
    const response = await baseFetch(new Request(request, { headers }));
    const now = Date.now();
    for (const header of response.headers.getSetCookie()) {
      const name = applySetCookie(cookies, header, now);
      const cookieRealm = name ? realmOfCookie(name) : undefined;
      // A cleared session cookie: its CSRF token died with the session.
      if (cookieRealm && name && !cookies.has(name)) csrfTokens.delete(cookieRealm);
    }
    if (response.headers.get("content-type")?.includes("json")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { csrfToken?: unknown; session?: { realm?: unknown } } | null;
      if (typeof body?.csrfToken === "string" && typeof body.session?.realm === "string") {
        csrfTokens.set(body.session.realm, body.csrfToken);
      }
    }
    return response;
  }

  /** One refresh per realm at a time: concurrent refusals wait for the same one. */
  function refreshCsrf(realm: string): Promise<void> {
    const running = refreshing.get(realm);
    if (running) return running;
    const refresh = (async () => {
      csrfTokens.delete(realm);
      await send(new Request(new URL(`/api/${realm}/auth/session?passive=true`, options.baseUrl)));
    })().finally(() => refreshing.delete(realm));
    refreshing.set(realm, refresh);
    return refresh;
  }

  async function csrfAwareFetch(input: Request): Promise<Response> {
    const unsafe = unsafeMethods.has(input.method);
    const retry = unsafe ? input.clone() : undefined;
    const realm = realmOf(new URL(input.url));
    const sentToken = realm ? csrfTokens.get(realm) : undefined;
    const response = await send(input);
    if (!retry || !realm || response.status !== 403) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: unknown } } | null;
    if (body?.error?.code !== "csrf_token_invalid") return response;
    // Refresh unless another refusal already did (or is doing) it since this request was sent.
    const running = refreshing.get(realm);
    if (running) await running;
    else if (csrfTokens.get(realm) === sentToken) await refreshCsrf(realm);
    // Once: a second refusal is the answer (no loop).
    return csrfTokens.has(realm) ? send(retry) : response;
  }

  const api = createClient<paths>({
    baseUrl: new URL(options.baseUrl).origin,
    fetch: csrfAwareFetch,
  });
  return { api, cookies, csrfTokens };
}

export type { paths } from "@gatehouse/client/schema";
