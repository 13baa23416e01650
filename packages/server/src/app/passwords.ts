import {
  type AbuseThrottle,
  type Mailer,
  normalizeEmail,
  type PasswordChanged,
  type PasswordService,
  type RealmRegistry,
  resetTokenLifetimeSeconds,
  type SessionRecord,
} from "@gatehouse/core";
import type { AuditRecorder, ErrorLog } from "./audit-recorder.ts";
import { runInBackground } from "./background.ts";
import { actorName, type RequestMeta } from "./request-meta.ts";

export interface PasswordDeps {
  realms: RealmRegistry;
  passwords: PasswordService;
  throttle: AbuseThrottle;
  audit: AuditRecorder;
  mailer: Mailer;
  /** Where the reset page is served: the link is `${publicUrl}/reset-password?realm=…&token=…`. */
  publicUrl: URL;
  log: ErrorLog;
}

/**
 * Password change and reset. Both act on one principal in one realm: sessions of other realms —
 * even of a principal with the same email — are never touched (seed 002's `session.flush()` bug).
 */
export function passwordUseCases(deps: PasswordDeps) {
  const { audit } = deps;
  return {
    /**
     * Every other session of the principal in this realm ends; the current one gets a new token. Wrong
     * current passwords are throttled like logins, so a stolen session is no password-guessing oracle.
     */
    async changePassword(
      current: SessionRecord,
      input: { currentPassword: string; newPassword: string; captcha?: string | undefined },
      meta: RequestMeta,
    ): Promise<PasswordChanged> {
      const subject = { ip: meta.throttleIp, account: current.principalId };
      const changed = await deps.throttle.attempt("password-change", current.realm, subject, input.captcha, () =>
        deps.passwords.change(current, input),
      );
      const base = { realm: current.realm, principalId: current.principalId, actor: actorName(current) };
      await audit.record(meta, {
        ...base,
        type: "password_changed",
        sessionId: changed.session.id,
        details: { revokedSessions: changed.endedSessionIds.length },
      });
      await audit.revocations(meta, {
        ...base,
        sessionIds: changed.endedSessionIds,
        details: { reason: "password_changed" },
      });
      return changed;
    },

    /**
     * Always answers alike: the lookup, token and mail happen after the answer. Every request counts
     * against the IP and the email typed (known or not, alike): mail bombing an account or probing
     * from one address runs into growing delays and a CAPTCHA, never a lockout.
     */
    async requestPasswordReset(
      input: { realm: string; email: string; captcha?: string | undefined },
      meta: RequestMeta,
    ): Promise<void> {
      const realm = deps.realms.get(input.realm);
      const email = normalizeEmail(input.email);
      const subject = { ip: meta.throttleIp, account: email };
      await deps.throttle.attempt("password-reset", realm.name, subject, input.captcha, async () => {
        runInBackground(deps.log, "password reset request failed", async () => {
          const issued = await deps.passwords.requestReset(realm.name, input.email);
          await audit.record(meta, {
            type: "password_reset_requested",
            realm: realm.name,
            principalId: issued?.principal.id ?? null,
            details: { email, accountFound: issued !== null },
          });
          if (issued) await sendResetLink(deps, realm.name, issued.principal.email, issued.token);
        });
      });
    },

    /** Consumes the emailed token, sets the new password and ends every session of the principal in the realm. */
    async resetPassword(
      input: { realm: string; token: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<{ revokedSessions: number }> {
      const realm = deps.realms.get(input.realm);
      const done = await deps.passwords.confirmReset(realm.name, input);
      const base = { realm: realm.name, principalId: done.principal.id };
      await audit.record(meta, {
        ...base,
        type: "password_reset_completed",
        details: { revokedSessions: done.endedSessionIds.length },
      });
      await audit.revocations(meta, {
        ...base,
        actor: actorName({ realm: realm.name, principalId: done.principal.id }),
        sessionIds: done.endedSessionIds,
        details: { reason: "password_reset" },
      });
      return { revokedSessions: done.endedSessionIds.length };
    },
  };
}

async function sendResetLink(deps: PasswordDeps, realm: string, to: string, token: string): Promise<void> {
  // The token appears only in this mail: never in a log line, an audit event or an answer.
  const link = new URL("/reset-password", deps.publicUrl);
  link.searchParams.set("realm", realm);
  link.searchParams.set("token", token);
  const minutes = Math.round(resetTokenLifetimeSeconds / 60);
  await deps.mailer.send({
    to,
    subject: "Reset your password",
    text: [
      "Someone (hopefully you) asked to reset the password of your account.",
      "",
      `Open this link within ${minutes} minutes to choose a new password:`,
      "",
      link.toString(),
      "",
      "Resetting signs this account out everywhere. If you did not ask for this, ignore this mail.",
    ].join("\n"),
  });
}

export type PasswordUseCases = ReturnType<typeof passwordUseCases>;
