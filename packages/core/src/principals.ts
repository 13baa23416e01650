/** An account in one realm. The same email in two realms is two unrelated principals. */
export interface Principal {
  id: string;
  realm: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  disabledAt: Date | null;
  /**
   * Goes up by one with every password change or reset. A sign-in starts its session only if the
   * version it checked the credentials against is still current (AuthService.startSession).
   */
  credentialsVersion: number;
  createdAt: Date;
}

export interface NewPrincipal {
  id: string;
  realm: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  createdAt: Date;
}

/** Account persistence. `insert` throws GatehouseError("email_taken") on a duplicate (realm, email). */
export interface PrincipalStore {
  insert(principal: NewPrincipal): Promise<Principal>;
  findByEmail(realm: string, email: string): Promise<Principal | null>;
  findById(realm: string, id: string): Promise<Principal | null>;
  count(): Promise<number>;
  /** Replaces the password hash and bumps `credentialsVersion`, in one step. False when there is no such principal in the realm. */
  updatePasswordHash(realm: string, id: string, passwordHash: string): Promise<boolean>;
  /** Sets or clears `disabledAt`; returns the updated principal, or null when there is none. */
  setDisabledAt(realm: string, id: string, disabledAt: Date | null): Promise<Principal | null>;
}

/** Emails are compared case-insensitively and without surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The only shape of a principal that leaves the server. */
export function toPublicPrincipal(principal: Principal) {
  return {
    id: principal.id,
    realm: principal.realm,
    email: principal.email,
    displayName: principal.displayName,
    createdAt: principal.createdAt.toISOString(),
  };
}
export type PublicPrincipal = ReturnType<typeof toPublicPrincipal>;
