import {
  type AbuseThrottle,
  type AuthService,
  failsWith,
  GatehouseError,
  normalizeEmail,
  type OtpService,
  type PrincipalStore,
  type RealmRegistry,
  type SignInResult,
} from "@gatehouse/core";
import type { AuditRecorder } from "./audit-recorder.ts";
import type { RequestMeta } from "./request-meta.ts";

export interface SignInDeps {
  realms: RealmRegistry;
  auth: AuthService;
  otp: OtpService;
  principals: PrincipalStore;
  throttle: AbuseThrottle;
  audit: AuditRecorder;
}

/** What every sign-in carries besides its credentials. */
interface SignInCommon {
  realm: string;
  email: string;
  rememberMe?: boolean | undefined;
  /** A solved challenge from GET /api/public/captcha, once the throttle demands one. */
  captcha?: string | undefined;
  /** The token this browser held in the realm: ended by the sign-in (no fixation). */
  previousToken?: string | undefined;
}

/**
 * Password sign-in, one-time-code sign-in and sign-up: each is throttle → check → count failure →
 * start session → audit (docs/abuse-protection.md for the throttle, docs/sessions.md for the session).
 */
export function signInUseCases(deps: SignInDeps) {
  const { auth, throttle, audit } = deps;
  const failedLogin = async (meta: RequestMeta, realm: string, email: string, method?: string) =>
    audit.record(meta, { type: "login_failed", realm, details: { email, ...(method ? { method } : {}) } });

  return {
    async signIn(input: SignInCommon & { password: string }, meta: RequestMeta): Promise<SignInResult> {
      const realm = deps.realms.get(input.realm);
      const email = normalizeEmail(input.email);
      const subject = { ip: meta.throttleIp, account: email };
      const result = await throttle
        .attempt("login", realm.name, subject, input.captcha, () => auth.login(realm.name, { ...input, email }, meta))
        .catch(async (error: unknown) => {
          if (failsWith("invalid_credentials")(error)) await failedLogin(meta, realm.name, email);
          throw error;
        });
      await audit.signIn(meta, "login_succeeded", result);
      return result;
    },

    async signInWithCode(input: SignInCommon & { code: string }, meta: RequestMeta): Promise<SignInResult> {
      const realm = deps.realms.get(input.realm);
      if (!realm.otpSignIn) throw new GatehouseError("not_found");
      const email = normalizeEmail(input.email);
      const principal = await throttle
        .attempt("otp", realm.name, { ip: meta.throttleIp, account: email }, input.captcha, async () => {
          const found = await deps.principals.findByEmail(realm.name, email);
          const verified = await deps.otp.verifyFor(realm.name, found, input.code);
          if (!verified) throw new GatehouseError("otp_invalid");
          return verified;
        })
        .catch(async (error: unknown) => {
          if (failsWith("otp_invalid")(error)) await failedLogin(meta, realm.name, email, "otp");
          throw error;
        });
      const result = await auth.startSession(realm.name, principal, input, meta);
      await audit.signIn(meta, "otp_signin", result);
      return result;
    },

    /**
     * Creates an account and signs it in, in realms that allow self sign-up. `email_taken` necessarily
     * says an account exists (SPEC: sign-up signs in at once), so each one counts against the IP like a
     * failed login: probing many emails from one address slows down and needs a CAPTCHA.
     */
    async signUp(
      input: Omit<SignInCommon, "rememberMe"> & { password: string; displayName?: string | undefined },
      meta: RequestMeta,
    ): Promise<SignInResult> {
      const realm = deps.realms.get(input.realm);
      if (!realm.selfSignup) throw new GatehouseError("not_found");
      const { captcha, previousToken, ...account } = input;
      const principal = await throttle.attempt("signup", realm.name, { ip: meta.throttleIp }, captcha, () =>
        auth.createPrincipal(realm.name, account),
      );
      const result = await auth.startSession(realm.name, principal, { previousToken }, meta);
      await audit.signIn(meta, "signup", result);
      return result;
    },
  };
}

export type SignInUseCases = ReturnType<typeof signInUseCases>;
