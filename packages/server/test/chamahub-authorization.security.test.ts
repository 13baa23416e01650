import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./support/browser.ts";
import { addMember, type ChamaWorld, createChama, fund, startChamaWorld } from "./support/chamahub.ts";

type Who = Browser & { principalId: string; email: string };
interface Call {
  method: string;
  url: string;
  body?: unknown;
}

/**
 * Object-level authorization on every ChamaHub route: an outsider gets 404 (the chama's existence is
 * not revealed), a plain member cannot approve, decide, disburse, repay or manage members (403), a
 * treasurer can. The case table must name every route the server registered under /api/chamas.
 */
describe("ChamaHub authorization", () => {
  let world: ChamaWorld;
  let chair: Who;
  let treasurer: Who;
  let member: Who;
  let outsider: Who;
  let chamaId: string;
  let base: string;

  const json = (who: Browser, call: Call) =>
    who.request(
      call.method,
      call.url,
      call.body === undefined ? { realm: "user" } : { realm: "user", body: call.body },
    );
  const newUser = async () => (await world.user("extra")) as Who;
  const pending = async () => {
    const r = await json(chair, {
      method: "POST",
      url: `${base}/contributions`,
      body: { amount: "10", date: "2026-03-01" },
    });
    return r.body.id as string;
  };
  const loanIn = async (status: "requested" | "approved" | "disbursed") => {
    const r = await json(member, { method: "POST", url: `${base}/loans`, body: { amount: "5", termMonths: 1 } });
    const id = r.body.id as string;
    if (status !== "requested")
      await json(chair, { method: "POST", url: `${base}/loans/${id}/decision`, body: { decision: "approve" } });
    if (status === "disbursed") await json(chair, { method: "POST", url: `${base}/loans/${id}/disburse` });
    return id;
  };
  const spareMember = async () => (await addMember(chair, chamaId, (await newUser()).email)).id;

  /** Each route: who may call it (`member` = any member, `officer` = chairperson or treasurer) and a fresh call. */
  const cases: Record<string, { who: "member" | "officer"; call: () => Promise<Call> }> = {
    "GET /api/chamas/:id": { who: "member", call: async () => ({ method: "GET", url: base }) },
    "PATCH /api/chamas/:id": {
      who: "officer",
      call: async () => ({ method: "PATCH", url: base, body: { rules: "Pay on Mondays" } }),
    },
    "GET /api/chamas/:id/statistics": {
      who: "member",
      call: async () => ({ method: "GET", url: `${base}/statistics` }),
    },
    "GET /api/chamas/:id/members": { who: "member", call: async () => ({ method: "GET", url: `${base}/members` }) },
    "POST /api/chamas/:id/members": {
      who: "officer",
      call: async () => ({ method: "POST", url: `${base}/members`, body: { email: (await newUser()).email } }),
    },
    "PATCH /api/chamas/:id/members/:memberId": {
      who: "officer",
      call: async () => ({
        method: "PATCH",
        url: `${base}/members/${await spareMember()}`,
        body: { role: "secretary" },
      }),
    },
    "DELETE /api/chamas/:id/members/:memberId": {
      who: "officer",
      call: async () => ({ method: "DELETE", url: `${base}/members/${await spareMember()}` }),
    },
    "GET /api/chamas/:id/contributions": {
      who: "member",
      call: async () => ({ method: "GET", url: `${base}/contributions` }),
    },
    "POST /api/chamas/:id/contributions": {
      who: "member",
      call: async () => ({ method: "POST", url: `${base}/contributions`, body: { amount: "1", date: "2026-03-02" } }),
    },
    "POST /api/chamas/:id/contributions/decisions": {
      who: "officer",
      call: async () => ({
        method: "POST",
        url: `${base}/contributions/decisions`,
        body: { ids: [await pending()], decision: "approve" },
      }),
    },
    "POST /api/chamas/:id/contributions/import": {
      who: "officer",
      call: async () => ({
        method: "POST",
        url: `${base}/contributions/import`,
        body: { csv: `email,amount,date\n${chair.email},1,2026-01-01` },
      }),
    },
    "POST /api/chamas/:id/reminders": {
      who: "officer",
      call: async () => ({ method: "POST", url: `${base}/reminders` }),
    },
    "GET /api/chamas/:id/loans": { who: "member", call: async () => ({ method: "GET", url: `${base}/loans` }) },
    "POST /api/chamas/:id/loans": {
      who: "member",
      call: async () => ({ method: "POST", url: `${base}/loans`, body: { amount: "1", termMonths: 2 } }),
    },
    "POST /api/chamas/:id/loans/:loanId/decision": {
      who: "officer",
      call: async () => ({
        method: "POST",
        url: `${base}/loans/${await loanIn("requested")}/decision`,
        body: { decision: "reject" },
      }),
    },
    "POST /api/chamas/:id/loans/:loanId/disburse": {
      who: "officer",
      call: async () => ({ method: "POST", url: `${base}/loans/${await loanIn("approved")}/disburse` }),
    },
    "POST /api/chamas/:id/loans/:loanId/repayments": {
      who: "officer",
      call: async () => ({
        method: "POST",
        url: `${base}/loans/${await loanIn("disbursed")}/repayments`,
        body: { amount: "1" },
      }),
    },
    "GET /api/chamas/:id/loans/:loanId/schedule": {
      who: "member",
      call: async () => ({ method: "GET", url: `${base}/loans/${await loanIn("requested")}/schedule` }),
    },
  };

  beforeAll(async () => {
    world = await startChamaWorld();
    [chair, treasurer, member, outsider] = (await Promise.all(
      ["chair", "treasurer", "member", "outsider"].map((n) => world.user(n)),
    )) as [Who, Who, Who, Who];
    chamaId = (await createChama(chair)).id;
    base = `/api/chamas/${chamaId}`;
    await addMember(chair, chamaId, treasurer.email, "treasurer");
    await addMember(chair, chamaId, member.email, "member");
    await fund(chair, chamaId, "100000");
  });
  afterAll(() => world.close());

  it("covers every route registered under /api/chamas/{id}", () => {
    const registered = world.server.app.routeTable
      .filter((r) => r.url.startsWith("/api/chamas/:id") && r.method !== "HEAD")
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))("%s: an outsider gets 404, and so does an unknown chama", async (_route, test) => {
    const call = await test.call();
    const asOutsider = await json(outsider, call);
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.body.error.code).toBe("not_found");
    const unknown = await json(member, { ...call, url: call.url.replace(chamaId, randomUUID()) });
    expect(unknown.status).toBe(404);
  });

  it.each(Object.entries(cases))(
    "%s: a plain member is allowed only member actions; a treasurer may do all",
    async (_route, test) => {
      const asMember = await json(member, await test.call());
      if (test.who === "officer") {
        expect(asMember.status).toBe(403);
        expect(asMember.body.error.code).toBe("forbidden");
      } else {
        expect(asMember.status).toBeLessThan(300);
      }
      const asTreasurer = await json(treasurer, await test.call());
      expect(asTreasurer.status, JSON.stringify(asTreasurer.body)).toBeLessThan(300);
    },
  );

  it.each(Object.entries(cases))(
    "%s: without a session 401; without the CSRF token an unsafe call is 403",
    async (_route, test) => {
      const call = await test.call();
      const anonymous = await fetch(`${world.server.baseUrl}${call.url}`, {
        method: call.method,
        headers: call.body === undefined ? {} : { "content-type": "application/json" },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      expect(anonymous.status).toBe(401);
      if (call.method !== "GET") {
        const noCsrf = await treasurer.request(call.method, call.url, {
          realm: "user",
          csrf: null,
          ...(call.body === undefined ? {} : { body: call.body }),
        });
        expect(noCsrf.status).toBe(403);
        expect(noCsrf.body.error.code).toBe("csrf_token_invalid");
      }
    },
  );

  it("ids of another chama's objects are 404 through a chama the caller runs", async () => {
    const other = await createChama(outsider);
    await fund(outsider, other.id, "1000");
    const loan = await outsider.request("POST", `/api/chamas/${other.id}/loans`, {
      realm: "user",
      body: { amount: "5", termMonths: 1 },
    });
    const contribution = await outsider.request("POST", `/api/chamas/${other.id}/contributions`, {
      realm: "user",
      body: { amount: "5", date: "2026-01-01" },
    });
    const members = await outsider.request("GET", `/api/chamas/${other.id}/members`);
    for (const call of [
      { method: "POST", url: `${base}/loans/${loan.body.id}/decision`, body: { decision: "approve" } },
      { method: "POST", url: `${base}/loans/${loan.body.id}/disburse` },
      { method: "GET", url: `${base}/loans/${loan.body.id}/schedule` },
      { method: "PATCH", url: `${base}/members/${members.body.results[0].id}`, body: { role: "member" } },
      { method: "DELETE", url: `${base}/members/${members.body.results[0].id}` },
    ]) {
      expect((await json(chair, call)).status, call.url).toBe(404);
    }
    const decide = await json(chair, {
      method: "POST",
      url: `${base}/contributions/decisions`,
      body: { ids: [contribution.body.id], decision: "approve" },
    });
    expect(decide.status).toBe(409);
    const mine = await json(outsider, { method: "GET", url: `/api/chamas/${other.id}/contributions?status=pending` });
    expect(mine.body.count).toBe(1);
  });

  it("the chama list shows only the caller's chamas; GET /api/jobs/{id} only the job's starter", async () => {
    const list = await json(outsider, { method: "GET", url: "/api/chamas" });
    expect(list.body.results.map((c: { id: string }) => c.id)).not.toContain(chamaId);
    const job = await json(chair, { method: "POST", url: `${base}/reminders` });
    expect(job.status).toBe(202);
    expect((await json(chair, { method: "GET", url: `/api/jobs/${job.body.id}` })).status).toBe(200);
    expect((await json(treasurer, { method: "GET", url: `/api/jobs/${job.body.id}` })).status).toBe(404);
    expect((await json(outsider, { method: "GET", url: `/api/jobs/${job.body.id}` })).status).toBe(404);
  });
});
