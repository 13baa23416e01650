import { describe, expect, it } from "vitest";
import { createCsrfFetch, csrfHeader } from "../src/index.ts";

const base = "http://gatehouse.test";
const rejected = () => Response.json({ error: { code: "csrf_token_invalid", message: "no" } }, { status: 403 });

/** A fake server: accepts unsafe calls only with `current` token; the session call hands it out (after a delay). */
function fakeServer(options: { current: string; refreshDelayMs?: number; sessionStatus?: number }) {
  const calls: { method: string; path: string; token: string | null; body: string }[] = [];
  let refreshes = 0;
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname + new URL(request.url).search;
    calls.push({ method: request.method, path, token: request.headers.get(csrfHeader), body: await request.text() });
    if (path.startsWith("/api/user/auth/session")) {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, options.refreshDelayMs ?? 5));
      if (options.sessionStatus) return Response.json({}, { status: options.sessionStatus });
      return Response.json({ csrfToken: options.current });
    }
    if (request.method === "GET") return Response.json({ ok: true });
    return request.headers.get(csrfHeader) === options.current ? Response.json({ ok: true }) : rejected();
  };
  return { fetch, calls, refreshes: () => refreshes };
}

describe("the CSRF fetch", () => {
  it("sends the token on unsafe requests only", async () => {
    const server = fakeServer({ current: "t1" });
    const csrf = createCsrfFetch({ realm: "user", baseUrl: base, fetch: server.fetch });
    csrf.setToken("t1");
    await csrf(`${base}/api/user/sessions`);
    await csrf(`${base}/api/user/sessions/revoke-others`, { method: "POST" });
    expect(server.calls.map((c) => [c.method, c.token])).toEqual([
      ["GET", null],
      ["POST", "t1"],
    ]);
  });

  it("refreshes a rejected token once and retries the request once, body included", async () => {
    const server = fakeServer({ current: "t2" });
    const csrf = createCsrfFetch({ realm: "user", baseUrl: base, fetch: server.fetch });
    csrf.setToken("t1");
    const response = await csrf(`${base}/api/user/auth/password`, { method: "POST", body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(server.refreshes()).toBe(1);
    expect(csrf.token()).toBe("t2");
    const posts = server.calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => [c.token, c.body])).toEqual([
      ["t1", '{"a":1}'],
      ["t2", '{"a":1}'],
    ]);
    expect(server.calls.find((c) => c.method === "GET")?.path).toBe("/api/user/auth/session?passive=true");
  });

  it("makes exactly one refresh for many concurrent rejected requests", async () => {
    const server = fakeServer({ current: "new", refreshDelayMs: 30 });
    const csrf = createCsrfFetch({ realm: "user", baseUrl: base, fetch: server.fetch });
    csrf.setToken("old");
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) => csrf(`${base}/api/user/sessions/${i}`, { method: "DELETE" })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    expect(server.refreshes()).toBe(1);
  });

  it("retries a late rejection with the already refreshed token, without a second refresh", async () => {
    const server = fakeServer({ current: "new", refreshDelayMs: 1 });
    let releaseLate: () => void = () => {};
    const lateGate = new Promise<void>((resolve) => {
      releaseLate = resolve;
    });
    const csrf = createCsrfFetch({
      realm: "user",
      baseUrl: base,
      fetch: async (request) => {
        const answer = await server.fetch(request);
        if (request.url.endsWith("/late")) await lateGate;
        return answer;
      },
    });
    csrf.setToken("old");
    const late = csrf(`${base}/api/user/late`, { method: "POST" });
    await csrf(`${base}/api/user/early`, { method: "POST" });
    releaseLate();
    expect((await late).status).toBe(200);
    expect(server.refreshes()).toBe(1);
  });

  it("never loops: a token rejected again after the refresh is returned as the answer", async () => {
    const calls: string[] = [];
    const csrf = createCsrfFetch({
      realm: "user",
      baseUrl: base,
      fetch: async (request) => {
        calls.push(request.method);
        return request.method === "GET" ? Response.json({ csrfToken: "also-wrong" }) : rejected();
      },
    });
    csrf.setToken("wrong");
    const response = await csrf(`${base}/api/user/sessions/revoke-others`, { method: "POST" });
    expect(response.status).toBe(403);
    expect(calls).toEqual(["POST", "GET", "POST"]);
  });

  it("gives up without retrying when the session is gone", async () => {
    const server = fakeServer({ current: "t2", sessionStatus: 401 });
    const csrf = createCsrfFetch({ realm: "user", baseUrl: base, fetch: server.fetch });
    csrf.setToken("t1");
    const response = await csrf(`${base}/api/user/sessions/revoke-others`, { method: "POST" });
    expect(response.status).toBe(403);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1);
    expect(csrf.token()).toBeUndefined();
  });

  it("takes the token from its realm's login and session answers and forgets it on logout", async () => {
    const csrf = createCsrfFetch({
      realm: "admin",
      baseUrl: base,
      fetch: async (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/api/admin/auth/logout") return new Response(null, { status: 204 });
        return Response.json({ csrfToken: `from ${path}` });
      },
    });
    await csrf(`${base}/api/user/auth/login`, { method: "POST" });
    expect(csrf.token()).toBeUndefined();
    await csrf(`${base}/api/admin/auth/login`, { method: "POST" });
    expect(csrf.token()).toBe("from /api/admin/auth/login");
    await csrf(`${base}/api/admin/auth/logout`, { method: "POST" });
    expect(csrf.token()).toBeUndefined();
  });
});
