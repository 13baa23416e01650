import { describe, expect, it } from "vitest";
import { GatehouseVerifier, type IncomingRequestFacts, realmCookieHeader } from "../src/index.ts";

const identityBody = (overrides: { idleExpiresAt?: string } = {}) => ({
  principal: {
    id: "p-1",
    realm: "user",
    email: "a@example.com",
    displayName: null,
    createdAt: "2026-01-01T00:00:00.000Z",
  },
  session: {
    id: "s-1",
    realm: "user",
    createdAt: "2026-01-01T00:00:00.000Z",
    lastActiveAt: "2026-01-01T00:00:00.000Z",
    expiresAt: "2099-01-01T00:00:00.000Z",
    idleExpiresAt: overrides.idleExpiresAt ?? "2099-01-01T00:00:00.000Z",
    rememberMe: false,
  },
  csrfToken: "csrf-1",
});

/** A fetch standing in for Gatehouse: records each request, answers `answer()`. */
function fakeGatehouse(
  answer: () => Response = () => Response.json(identityBody(), { headers: { "x-gatehouse-session-id": "h" } }),
) {
  const asked: { url: string; headers: Headers }[] = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    asked.push({ url: String(url), headers: new Headers(init.headers) });
    return answer();
  }) as unknown as typeof globalThis.fetch;
  return { asked, fetch };
}

const facts = (overrides: Partial<IncomingRequestFacts> = {}): IncomingRequestFacts => ({
  method: "GET",
  cookie: "theme=dark; __Host-user_session=abc.def; __Host-admin_session=zzz",
  csrfToken: undefined,
  origin: undefined,
  secFetchSite: undefined,
  forwardedFor: undefined,
  passive: false,
  ...overrides,
});

describe("GatehouseVerifier", () => {
  it("asks the realm's verify endpoint with only that realm's cookie and the request's CSRF facts", async () => {
    const gatehouse = fakeGatehouse();
    const verifier = new GatehouseVerifier({
      gatehouseUrl: "http://gh.internal:3000",
      realm: "user",
      fetch: gatehouse.fetch,
    });
    const result = await verifier.verify(
      facts({
        method: "post",
        csrfToken: "t",
        origin: "https://app.example",
        secFetchSite: "same-origin",
        forwardedFor: "203.0.113.9",
        passive: true,
      }),
    );
    expect(result.ok).toBe(true);
    const [asked] = gatehouse.asked;
    expect(asked?.url).toBe("http://gh.internal:3000/api/user/auth/verify");
    expect(Object.fromEntries(asked?.headers ?? [])).toEqual({
      cookie: "__Host-user_session=abc.def",
      "x-forwarded-method": "POST",
      "x-csrf-token": "t",
      origin: "https://app.example",
      "sec-fetch-site": "same-origin",
      "x-forwarded-for": "203.0.113.9",
      "x-gatehouse-passive": "true",
    });
  });

  it("refuses a request without the realm's cookie without asking", async () => {
    const gatehouse = fakeGatehouse();
    const verifier = new GatehouseVerifier({ gatehouseUrl: "http://gh", realm: "admin", fetch: gatehouse.fetch });
    const result = await verifier.verify(facts({ cookie: "__Host-user_session=abc.def" }));
    expect(result).toMatchObject({ ok: false, status: 401, error: { code: "not_authenticated" } });
    expect(gatehouse.asked).toHaveLength(0);
  });

  it("asks on every request by default, so a revocation counts on the very next one", async () => {
    let live = true;
    const gatehouse = fakeGatehouse(() =>
      live
        ? Response.json(identityBody())
        : Response.json({ error: { code: "not_authenticated", message: "no" } }, { status: 401 }),
    );
    const verifier = new GatehouseVerifier({ gatehouseUrl: "http://gh", realm: "user", fetch: gatehouse.fetch });
    expect((await verifier.verify(facts())).ok).toBe(true);
    live = false;
    expect(await verifier.verify(facts())).toMatchObject({
      ok: false,
      status: 401,
      error: { code: "not_authenticated" },
    });
    expect(gatehouse.asked).toHaveLength(2);
  });

  it("with cacheMs reuses a positive answer for safe requests for at most that long (never past 1 s)", async () => {
    let now = 0;
    const gatehouse = fakeGatehouse();
    const verifier = new GatehouseVerifier({
      gatehouseUrl: "http://gh",
      realm: "user",
      cacheMs: 60_000,
      fetch: gatehouse.fetch,
      now: () => now,
    });
    await verifier.verify(facts());
    now = 999;
    await verifier.verify(facts());
    expect(gatehouse.asked).toHaveLength(1);
    now = 1000;
    await verifier.verify(facts());
    expect(gatehouse.asked).toHaveLength(2);
    // Unsafe requests always ask: Gatehouse checks their CSRF token.
    await verifier.verify(facts({ method: "POST" }));
    await verifier.verify(facts({ method: "DELETE" }));
    expect(gatehouse.asked).toHaveLength(4);
    // Another cookie is another entry.
    await verifier.verify(facts({ cookie: "__Host-user_session=other.one" }));
    expect(gatehouse.asked).toHaveLength(5);
  });

  it("never caches past the session's own idle deadline", async () => {
    let now = Date.parse("2026-01-01T00:00:00.000Z");
    const gatehouse = fakeGatehouse(() => Response.json(identityBody({ idleExpiresAt: "2026-01-01T00:00:00.100Z" })));
    const verifier = new GatehouseVerifier({
      gatehouseUrl: "http://gh",
      realm: "user",
      cacheMs: 1000,
      fetch: gatehouse.fetch,
      now: () => now,
    });
    await verifier.verify(facts());
    now += 100;
    await verifier.verify(facts());
    expect(gatehouse.asked).toHaveLength(2);
  });

  it("fails closed when Gatehouse cannot be asked or answers nonsense", async () => {
    const down = new GatehouseVerifier({
      gatehouseUrl: "http://gh",
      realm: "user",
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as unknown as typeof fetch,
    });
    expect(await down.verify(facts())).toMatchObject({
      ok: false,
      status: 503,
      error: { code: "gatehouse_unreachable" },
    });
    const broken = new GatehouseVerifier({
      gatehouseUrl: "http://gh",
      realm: "user",
      fetch: fakeGatehouse(() => new Response("<html>", { status: 200 })).fetch,
    });
    expect(await broken.verify(facts())).toMatchObject({ ok: false, status: 502 });
    const failing = new GatehouseVerifier({
      gatehouseUrl: "http://gh",
      realm: "user",
      fetch: fakeGatehouse(() => new Response("oops", { status: 500 })).fetch,
    });
    expect(await failing.verify(facts())).toMatchObject({
      ok: false,
      status: 500,
      error: { code: "gatehouse_unreachable" },
    });
  });

  it("refuses a realm name that is not one", () => {
    expect(() => new GatehouseVerifier({ gatehouseUrl: "http://gh", realm: "../admin" })).toThrow(/bad realm/);
  });
});

describe("realmCookieHeader", () => {
  it("keeps the realm's session cookie (secure or plain name) and nothing else", () => {
    expect(realmCookieHeader("a=1; __Host-user_session=x.y; user_session=p.q; x__Host-user_session=no", "user")).toBe(
      "__Host-user_session=x.y; user_session=p.q",
    );
    expect(realmCookieHeader("__Host-admin_session=x.y", "user")).toBeUndefined();
    expect(realmCookieHeader(undefined, "user")).toBeUndefined();
  });
});
