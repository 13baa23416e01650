import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/** /metrics: process metrics, per-route latency histograms, session validations by outcome. */

let db: TestDatabase;
let server: TestServer;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  const user = await createAccount(server.ctx, "user", "metrics@example.com", "metrics password 12345");
  ({ token } = await server.ctx.sessions.create("user", user.id, { ip: null, userAgent: null }));
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const scrape = async () => (await fetch(`${server.baseUrl}/metrics`)).text();
const session = (cookie: string) =>
  fetch(`${server.baseUrl}/api/user/auth/session`, { headers: { cookie: `__Host-user_session=${cookie}` } });

/** The value of one sample line, e.g. `metric{a="b"} 3`; 0 when absent. */
function sample(text: string, prefix: string): number {
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("GET /metrics", () => {
  it("includes prom-client's process metrics", async () => {
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("observes request latency per route pattern, method and status, never the raw path", async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const revoke = await fetch(`${server.baseUrl}/api/user/sessions/some-session-id-in-the-path`, {
      method: "DELETE",
    });
    expect(revoke.status).toBe(401);
    const text = await scrape();
    expect(
      sample(text, 'gatehouse_http_request_duration_seconds_count{method="GET",route="/healthz",status_code="200"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(text).toContain('route="/api/user/sessions/:id",status_code="401"');
    expect(text).not.toContain("some-session-id-in-the-path");
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz"/);
  });

  it("counts session validations by realm and outcome, without any token", async () => {
    const before = await scrape();
    expect((await session(token)).status).toBe(200);
    expect((await session(token)).status).toBe(200);
    expect((await session("not-a-token")).status).toBe(401);
    expect((await session(`${token.split(".")[0]}.wrongsecret`)).status).toBe(401);
    const after = await scrape();
    const delta = (outcome: string) =>
      sample(after, `gatehouse_session_validations_total{realm="user",outcome="${outcome}"}`) -
      sample(before, `gatehouse_session_validations_total{realm="user",outcome="${outcome}"}`);
    expect(delta("valid")).toBe(2);
    expect(delta("malformed") + delta("unknown")).toBe(2);
    expect(after).not.toContain(token.split(".")[1] as string);
  });
});

describe("docs/grafana/gatehouse-dashboard.json", () => {
  it("queries only metrics that /metrics exposes", async () => {
    const { readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const dashboard = JSON.parse(
      readFileSync(path.join(import.meta.dirname, "../../../docs/grafana/gatehouse-dashboard.json"), "utf8"),
    ) as { panels: { targets: { expr: string }[] }[] };
    const names = new Set(
      dashboard.panels
        .flatMap((panel) => panel.targets.map((target) => target.expr))
        .flatMap((expr) =>
          [...expr.matchAll(/\b((?:gatehouse|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1] as string),
        )
        .map((name) => name.replace(/_(bucket|count|sum)$/, "")),
    );
    expect(names.size).toBeGreaterThan(5);
    const text = await scrape();
    for (const name of names) expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
  });
});
