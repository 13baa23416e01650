import { describe, expect, it } from "vitest";
import { GatehouseError } from "../errors.ts";
import type { NewPrincipal, PrincipalStore } from "../principals.ts";

function newPrincipal(overrides: Partial<NewPrincipal> = {}): NewPrincipal {
  return {
    id: crypto.randomUUID(),
    realm: "user",
    email: `p-${crypto.randomUUID()}@example.com`,
    displayName: null,
    passwordHash: "$argon2id$fake",
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
    ...overrides,
  };
}

/** The behaviour every PrincipalStore must have. Run against memory, PGlite and PostgreSQL. */
export function principalStoreContract(name: string, makeStore: () => Promise<PrincipalStore>): void {
  describe(`PrincipalStore contract: ${name}`, () => {
    it("finds an inserted principal by email and id, in its realm only", async () => {
      const store = await makeStore();
      const p = newPrincipal({ displayName: "Wanjiru" });
      await store.insert(p);
      expect(await store.findByEmail("user", p.email)).toMatchObject({ ...p, disabledAt: null });
      expect(await store.findById("user", p.id)).toMatchObject({ id: p.id, email: p.email });
      expect(await store.findByEmail("admin", p.email)).toBeNull();
      expect(await store.findById("admin", p.id)).toBeNull();
    });

    it("allows one email in two realms as two principals", async () => {
      const store = await makeStore();
      const email = `both-${crypto.randomUUID()}@example.com`;
      const user = await store.insert(newPrincipal({ email, realm: "user" }));
      const admin = await store.insert(newPrincipal({ email, realm: "admin" }));
      expect(user.id).not.toBe(admin.id);
    });

    it("refuses a duplicate email in one realm with email_taken", async () => {
      const store = await makeStore();
      const p = newPrincipal();
      await store.insert(p);
      const error = await store.insert(newPrincipal({ email: p.email })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatehouseError);
      expect((error as GatehouseError).code).toBe("email_taken");
    });

    it("updates the password hash and the disabled mark, in the principal's realm only", async () => {
      const store = await makeStore();
      const p = await store.insert(newPrincipal());
      expect(await store.updatePasswordHash("admin", p.id, "$argon2id$other")).toBe(false);
      expect(await store.updatePasswordHash("user", p.id, "$argon2id$new")).toBe(true);
      expect((await store.findById("user", p.id))?.passwordHash).toBe("$argon2id$new");
      const at = new Date("2026-02-02T00:00:00.000Z");
      expect(await store.setDisabledAt("admin", p.id, at)).toBeNull();
      expect((await store.setDisabledAt("user", p.id, at))?.disabledAt).toEqual(at);
      expect((await store.findById("user", p.id))?.disabledAt).toEqual(at);
      expect((await store.setDisabledAt("user", p.id, null))?.disabledAt).toBeNull();
    });

    it("lets exactly one of 20 parallel sign-ups with one email win", async () => {
      const store = await makeStore();
      const email = `race-${crypto.randomUUID()}@example.com`;
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.insert(newPrincipal({ email }))));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });
  });
}
