import { createGatehouseClient, type GatehouseClient } from "./api-client.ts";
import { csrfHeader } from "./csrf-fetch.ts";

/**
 * Fetch for the sessionless `/api/public/*` endpoints (CAPTCHA, OTP settings): no cookies go out or
 * come back (`credentials: "omit"`) and no CSRF header is sent, so a public call can never create,
 * refresh or leak a session. Anything outside `/api/public/` is refused before it leaves.
 */
export async function publicFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  const request = new Request(typeof input === "string" && here ? new URL(input, here) : input, {
    ...init,
    credentials: "omit",
  });
  if (!new URL(request.url).pathname.startsWith("/api/public/")) {
    throw new TypeError(`publicFetch only calls /api/public/*, not ${new URL(request.url).pathname}`);
  }
  request.headers.delete(csrfHeader);
  // A Request's credentials mode cannot be changed after construction: build the sent one explicitly.
  return globalThis.fetch(new Request(request, { credentials: "omit" }));
}

/** The typed client for the public endpoints, over `publicFetch`. */
export function createPublicClient(options: { baseUrl?: string } = {}): GatehouseClient {
  return createGatehouseClient({ baseUrl: options.baseUrl ?? "", fetch: publicFetch, credentials: "omit" });
}
