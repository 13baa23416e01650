import { GatehouseError } from "../errors.ts";
import type { NewPrincipal, Principal, PrincipalStore } from "../principals.ts";

/** Fast in-process double for core unit tests. Passes the same contract suite as the real stores. */
export class MemoryPrincipalStore implements PrincipalStore {
  private readonly principals = new Map<string, Principal>();

  async insert(input: NewPrincipal): Promise<Principal> {
    for (const existing of this.principals.values()) {
      if (existing.realm === input.realm && existing.email === input.email) throw new GatehouseError("email_taken");
    }
    const principal: Principal = { ...input, disabledAt: null, credentialsVersion: 0 };
    this.principals.set(principal.id, principal);
    return { ...principal };
  }

  async findByEmail(realm: string, email: string): Promise<Principal | null> {
    for (const p of this.principals.values()) if (p.realm === realm && p.email === email) return { ...p };
    return null;
  }

  async findById(realm: string, id: string): Promise<Principal | null> {
    const found = this.principals.get(id);
    return found && found.realm === realm ? { ...found } : null;
  }

  async count(): Promise<number> {
    return this.principals.size;
  }

  async updatePasswordHash(realm: string, id: string, passwordHash: string): Promise<boolean> {
    const found = this.principals.get(id);
    if (!found || found.realm !== realm) return false;
    this.principals.set(id, { ...found, passwordHash, credentialsVersion: found.credentialsVersion + 1 });
    return true;
  }

  async setDisabledAt(realm: string, id: string, disabledAt: Date | null): Promise<Principal | null> {
    const found = this.principals.get(id);
    if (!found || found.realm !== realm) return null;
    const updated = { ...found, disabledAt };
    this.principals.set(id, updated);
    return { ...updated };
  }
}
