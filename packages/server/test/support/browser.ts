import { CookieJar } from "tough-cookie";

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  setCookies: string[];
}

/**
 * One browser: one cookie jar shared by both realms, as on a real origin. Remembers the last CSRF
 * token each realm gave it and sends it on unsafe requests unless told otherwise.
 */
export class Browser {
  readonly jar = new CookieJar();
  readonly csrf: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: {
      body?: unknown;
      realm?: string;
      csrf?: string | null;
      headers?: Record<string, string>;
      /** `manual` to see a redirect itself (a proxy sending the browser to a sign-in page). */
      redirect?: "follow" | "manual" | "error";
    } = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(path, this.baseUrl).toString();
    const headers: Record<string, string> = { ...options.headers };
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.cookie = cookie;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const csrf = options.csrf === undefined ? (options.realm ? this.csrf[options.realm] : undefined) : options.csrf;
    if (csrf) headers["x-csrf-token"] = csrf;
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: options.redirect ?? "follow",
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) await this.jar.setCookie(header, url);
    const text = await response.text();
    const body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
    if (body && typeof body === "object" && typeof body.csrfToken === "string" && body.session?.realm) {
      this.csrf[body.session.realm] = body.csrfToken;
    }
    // The guard rotated the session (a privilege change): the new CSRF token comes in this header.
    const rotatedCsrf = response.headers.get("x-csrf-token");
    if (rotatedCsrf && options.realm) this.csrf[options.realm] = rotatedCsrf;
    return { status: response.status, headers: response.headers, body: body as T, setCookies };
  }

  login(realm: string, email: string, password: string, extra: Record<string, unknown> = {}) {
    return this.request("POST", `/api/${realm}/auth/login`, { body: { email, password, ...extra } });
  }

  logout(realm: string) {
    return this.request("POST", `/api/${realm}/auth/logout`, { realm });
  }

  session(realm: string, options: { passive?: boolean } = {}) {
    return this.request("GET", `/api/${realm}/auth/session${options.passive ? "?passive=true" : ""}`);
  }

  async cookie(name: string): Promise<string | undefined> {
    const cookies = await this.jar.getCookies(this.baseUrl);
    return cookies.find((c) => c.key === name)?.value;
  }
}
