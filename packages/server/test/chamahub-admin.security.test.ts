import type { Permission } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "./support/browser.ts";
import { type ChamaWorld, createChama, startChamaWorld } from "./support/chamahub.ts";

/**
 * The admin side of ChamaHub: reads need chamas.read (jobs: jobs.read), changes need chamas.manage.
 * Admins are given narrower permission sets through the PermissionResolver seam the role system fills.
 */
describe("ChamaHub admin API", () => {
  let world: ChamaWorld;
  let full: Browser & { principalId: string };
  let readOnly: Browser & { principalId: string };
  let none: Browser & { principalId: string };
  let user: Browser & { principalId: string };
  let chamaId: string;
  const grants = new Map<string, Set<Permission>>();

  beforeAll(async () => {
    world = await startChamaWorld({
      auditTable: true,
      beforeListen: (_app, ctx) => {
        const everything = ctx.permissions.permissionsOf.bind(ctx.permissions);
        ctx.permissions.permissionsOf = async (p) => grants.get(p.principalId) ?? everything(p);
      },
    });
    [full, readOnly, none] = await Promise.all([world.admin("full"), world.admin("reader"), world.admin("none")]);
    grants.set(readOnly.principalId, new Set(["chamas.read", "jobs.read"]));
    grants.set(none.principalId, new Set());
    user = await world.user("user");
    chamaId = (await createChama(user, { name: "Admin Visible" })).id;
  });
  afterAll(() => world.close());

  const admin = (who: Browser, method: string, url: string) => who.request(method, url, { realm: "admin" });

  it("registers ChamaHub's permissions and event types at boot, without touching the core's lists", () => {
    const { registries } = world.server.ctx;
    for (const name of ["chamas.read", "chamas.manage", "jobs.read"])
      expect(registries.permissions.has(name)).toBe(true);
    expect(registries.securityEventTypes.has("chama_loan_disbursed")).toBe(true);
  });

  it("chamas.read lists, searches and reads every chama; without it, 403 permission_denied", async () => {
    const list = await admin(readOnly, "GET", "/api/admin/chamas?search=admin%20visible");
    expect(list.status).toBe(200);
    expect(list.body.results.map((c: { id: string }) => c.id)).toEqual([chamaId]);
    expect((await admin(readOnly, "GET", `/api/admin/chamas/${chamaId}`)).body.memberCount).toBe(1);
    for (const url of ["/api/admin/chamas", `/api/admin/chamas/${chamaId}`, "/api/admin/jobs"]) {
      const denied = await admin(none, "GET", url);
      expect(denied.status, url).toBe(403);
      expect(denied.body.error.code).toBe("permission_denied");
    }
  });

  it("an admin without chamas.manage cannot deactivate or activate; one with it can, and it is audited", async () => {
    for (const who of [readOnly, none]) {
      for (const action of ["deactivate", "activate"]) {
        const denied = await admin(who, "POST", `/api/admin/chamas/${chamaId}/${action}`);
        expect(denied.status).toBe(403);
        expect(denied.body.error.code).toBe("permission_denied");
      }
    }
    expect((await admin(readOnly, "GET", `/api/admin/chamas/${chamaId}`)).body.active).toBe(true);
    const done = await admin(full, "POST", `/api/admin/chamas/${chamaId}/deactivate`);
    expect(done.status).toBe(200);
    expect(done.body.active).toBe(false);
    // Members still read it, but change nothing.
    expect((await user.request("GET", `/api/chamas/${chamaId}`)).status).toBe(200);
    const write = await user.request("POST", `/api/chamas/${chamaId}/contributions`, {
      realm: "user",
      body: { amount: "5", date: "2026-01-01" },
    });
    expect(write.status).toBe(409);
    expect(write.body.error.code).toBe("invalid_state");
    expect(world.server.audit.events.some((e) => e.type === "chama_deactivated" && e.details.chamaId === chamaId)).toBe(
      true,
    ); // The admin console's audit log shows ChamaHub's events, filterable by type.
    const audit = await admin(full, "GET", "/api/admin/audit?type=chama_created,chama_deactivated");
    expect(audit.status).toBe(200);
    const mine = audit.body.events.filter((e: { details: { chamaId?: string } }) => e.details.chamaId === chamaId);
    expect(mine.map((e: { type: string }) => e.type)).toEqual(["chama_deactivated", "chama_created"]);
    expect(mine[0].actor).toBe(`admin:${full.principalId}`);
  });

  it("a user-realm session cannot use the admin API, and an admin session cannot use /api/chamas", async () => {
    expect((await user.request("GET", "/api/admin/chamas")).status).toBe(401);
    expect((await full.request("GET", `/api/chamas/${chamaId}`)).status).toBe(401);
  });

  it("jobs.read sees any job; the user side sees only one's own", async () => {
    const other = await world.user("starter");
    const chama = await createChama(other);
    const job = await other.request("POST", `/api/chamas/${chama.id}/reminders`, { realm: "user" });
    expect((await admin(readOnly, "GET", `/api/admin/jobs/${job.body.id}`)).body.type).toBe("reminders");
    const jobs = await admin(readOnly, "GET", "/api/admin/jobs?type=reminders");
    expect(jobs.body.results.map((j: { id: string }) => j.id)).toContain(job.body.id);
    expect(JSON.stringify(jobs.body)).not.toContain("payload");
  });
});
