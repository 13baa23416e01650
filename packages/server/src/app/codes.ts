import {
  type AbuseThrottle,
  GatehouseError,
  type Mailer,
  normalizeEmail,
  type OtpService,
  type PrincipalStore,
  type RealmRegistry,
} from "@gatehouse/core";
import type { ErrorLog } from "./audit-recorder.ts";
import { runInBackground } from "./background.ts";
import type { RequestMeta } from "./request-meta.ts";

export interface CodeDeps {
  realms: RealmRegistry;
  principals: PrincipalStore;
  otp: OtpService;
  throttle: AbuseThrottle;
  mailer: Mailer;
  publicOrigin: string;
  log: ErrorLog & { info(fields: Record<string, unknown>, message: string): void };
}

/**
 * Emailed one-time sign-in codes. A request is answered the same way for every email: the lookup,
 * the code and the mail happen after the answer, so neither the answer nor its timing tells accounts
 * apart. One IP has a request budget (throttle catalog `otp-request`), identical for every email.
 */
export function codeUseCases(deps: CodeDeps) {
  return {
    async requestCode(input: { realm: string; email: string }, meta: RequestMeta): Promise<void> {
      const realm = deps.realms.get(input.realm);
      if (!realm.otpSignIn) throw new GatehouseError("not_found");
      await deps.throttle.limitRate("otp-request", realm.name, meta.throttleIp);
      const email = normalizeEmail(input.email);
      runInBackground(deps.log, "could not issue or send a one-time code", async () => {
        const principal = await deps.principals.findByEmail(realm.name, email);
        if (!principal || principal.disabledAt) return;
        const issued = await deps.otp.issue(principal);
        if (!issued) {
          deps.log.info({ realm: realm.name }, "one-time code not resent: inside the cooldown");
          return;
        }
        const minutes = Math.round(deps.otp.policy.ttlSeconds / 60);
        await deps.mailer.send({
          to: principal.email,
          subject: `Your Gatehouse sign-in code: ${issued.code}`,
          text:
            `Your sign-in code is ${issued.code}\n\n` +
            `It works once, for ${minutes} minutes, on ${deps.publicOrigin}.\n` +
            "If you did not ask for it, ignore this message: nobody can sign in without the code.\n",
        });
      });
    },
  };
}

export type CodeUseCases = ReturnType<typeof codeUseCases>;
