import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRow } from "./bad-input/check-row.ts";
import { live, login, send, setUp, tearDown } from "./bad-input/harness.ts";
import { rows } from "./bad-input/rows.ts";

/**
 * Table-driven bad input over real HTTP: every row must get a 4xx (never a 500) with a stable code
 * in `{ error: { code, message } }`, no session cookie, no echo of a submitted secret in the body or
 * the logs, no stack trace, and nothing written to `principals` or `sessions`.
 * The rows live in `./bad-input/*-rows.ts`, the checks in `./bad-input/check-row.ts`.
 */

beforeAll(setUp);
afterAll(tearDown);

const submitted: string[] = [];

describe("bad input is refused with a stable 4xx and changes nothing", () => {
  // Rows need the live tokens, known only after beforeAll; build them lazily, one test that reports every row.
  it("every row", async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      const problems = await checkRow(row);
      submitted.push(...(row.secrets ?? []));
      if (problems.length)
        failures.push(`${row.method} ${row.path.slice(0, 60)} [${row.name}]: ${problems.join("; ")}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it("no submitted password or token appears anywhere in the whole log", () => {
    expect(submitted.length).toBeGreaterThan(40);
    const all = live().server.logs.join("");
    expect(submitted.filter((secret) => all.includes(secret))).toEqual([]);
    expect(all).not.toMatch(/"level":50|"stack"/);
  });

  it("a wrong method names the allowed ones", async () => {
    const reply = await send({ name: "GET login", method: "GET", path: login("admin"), status: 405, code: null });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST");
    const session = await send({
      name: "PUT session",
      method: "PUT",
      path: "/api/user/auth/session",
      status: 405,
      code: null,
    });
    expect(session.headers.allow).toBe("GET, HEAD");
  });

  it("the live tokens still work from their cookies: no refusal above ended them, and none was an outage", async () => {
    const { server, token: liveToken, adminToken: liveAdminToken } = live();
    for (const [realm, token] of [
      ["user", liveToken],
      ["admin", liveAdminToken],
    ]) {
      const response = await fetch(`${server.baseUrl}/api/${realm}/auth/session`, {
        headers: { cookie: `__Host-${realm}_session=${token}` },
      });
      expect(response.status).toBe(200);
    }
  });
});
