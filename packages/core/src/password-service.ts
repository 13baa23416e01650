import { GatehouseError } from "./errors.ts";
import { type CommonPasswordCheck, checkPassword } from "./password-policy.ts";
import type { Clock, PasswordHasher, RandomSource } from "./ports.ts";
import { normalizeEmail, type Principal, type PrincipalStore } from "./principals.ts";
import type { ResetTokenStore } from "./reset-tokens.ts";
import type { SessionService } from "./session-service.ts";
import type { SessionRecord } from "./session-store.ts";
import { hashSecret } from "./tokens.ts";

/** Reset links live 30 minutes (long enough to reach a mailbox, short enough to limit a leaked mail). */
export const resetTokenLifetimeSeconds = 30 * 60;
/** 32 bytes = 256 bits from the CSPRNG. */
const resetTokenBytes = 32;
const resetTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface PasswordServiceDeps {
  principals: PrincipalStore;
  sessions: SessionService;
  resetTokens: ResetTokenStore;
  hasher: PasswordHasher;
  clock: Clock;
  random: RandomSource;
  /** The same common-password check as sign-up (a new password must pass the same policy everywhere). */
  isCommonPassword?: CommonPasswordCheck;
}

export interface PasswordChanged {
  principal: Principal;
  /** The current session under its new id, and the token the browser must now hold. */
  token: string;
  session: SessionRecord;
  /** Other sessions of the principal in the realm, now ended. */
  endedSessionIds: string[];
}

/**
 * Password change and reset. Both act on one principal in one realm: sessions of other realms —
 * even of a principal with the same email — are never touched (seed 002's `session.flush()` bug).
 */
export class PasswordService {
  constructor(private readonly deps: PasswordServiceDeps) {}

  /** Checks the current password, sets the new one, ends the principal's other sessions and rotates this one. */
  async change(
    current: SessionRecord,
    input: { currentPassword: string; newPassword: string },
  ): Promise<PasswordChanged> {
    const principal = await this.deps.principals.findById(current.realm, current.principalId);
    if (!principal?.passwordHash || principal.disabledAt) throw new GatehouseError("not_authenticated");
    if (!(await this.deps.hasher.verify(principal.passwordHash, input.currentPassword))) {
      throw new GatehouseError("invalid_credentials");
    }
    await checkPassword(input.newPassword, this.deps.isCommonPassword);
    await this.setPassword(principal, input.newPassword);
    const endedSessionIds = await this.deps.sessions.revokeAllForPrincipal(principal.realm, principal.id, {
      exceptId: current.id,
    });
    const rotated = await this.deps.sessions.rotate(current);
    // Revoked concurrently (another tab, an admin): the password is changed, but this browser is out.
    if (!rotated) throw new GatehouseError("not_authenticated");
    return { principal, token: rotated.token, session: rotated.session, endedSessionIds };
  }

  /**
   * Issues a reset token for an enabled account with this email, or returns null (unknown or
   * disabled). The caller must answer both cases identically. The raw token goes only into the mail.
   */
  async requestReset(realm: string, email: string): Promise<{ principal: Principal; token: string } | null> {
    const principal = await this.deps.principals.findByEmail(realm, normalizeEmail(email));
    if (!principal || principal.disabledAt) return null;
    const token = Buffer.from(this.deps.random.bytes(resetTokenBytes)).toString("base64url");
    const now = this.deps.clock.now();
    await this.deps.resetTokens.issue({
      tokenHash: hashSecret(token),
      realm,
      principalId: principal.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + resetTokenLifetimeSeconds * 1000),
    });
    return { principal, token };
  }

  /**
   * Consumes a reset token (single use, atomic), sets the new password and ends every session of the
   * principal in that realm. The password is checked first, so a weak one does not burn the link.
   */
  async confirmReset(
    realm: string,
    input: { token: string; newPassword: string },
  ): Promise<{ principal: Principal; endedSessionIds: string[] }> {
    await checkPassword(input.newPassword, this.deps.isCommonPassword);
    if (!resetTokenPattern.test(input.token)) throw new GatehouseError("reset_token_invalid");
    const record = await this.deps.resetTokens.consume(realm, hashSecret(input.token), this.deps.clock.now());
    if (!record) throw new GatehouseError("reset_token_invalid");
    const principal = await this.deps.principals.findById(realm, record.principalId);
    if (!principal || principal.disabledAt) throw new GatehouseError("reset_token_invalid");
    await this.setPassword(principal, input.newPassword);
    const endedSessionIds = await this.deps.sessions.revokeAllForPrincipal(realm, principal.id);
    return { principal, endedSessionIds };
  }

  /**
   * An operator sets the password (the CLI's `set-password`): the policy applies, every reset link
   * and every session of the principal in its realm ends. Returns the ended session ids.
   */
  async setByOperator(principal: Principal, newPassword: string): Promise<{ endedSessionIds: string[] }> {
    await checkPassword(newPassword, this.deps.isCommonPassword);
    await this.setPassword(principal, newPassword);
    return { endedSessionIds: await this.deps.sessions.revokeAllForPrincipal(principal.realm, principal.id) };
  }

  private async setPassword(principal: Principal, newPassword: string): Promise<void> {
    const hash = await this.deps.hasher.hash(newPassword);
    await this.deps.principals.updatePasswordHash(principal.realm, principal.id, hash);
    // Any reset link still in a mailbox dies with the old password.
    await this.deps.resetTokens.deleteByPrincipal(principal.realm, principal.id);
  }
}
