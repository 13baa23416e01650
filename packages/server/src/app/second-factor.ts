import { createHash } from "node:crypto";
import {
  type AbuseThrottle,
  type Clock,
  failsWith,
  GatehouseError,
  type PasswordHasher,
  type Principal,
  type PrincipalStore,
  type RandomSource,
  type RealmRegistry,
  type SessionRecord,
  type SessionService,
  type SessionStage,
} from "@gatehouse/core";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { AuditRecorder } from "./audit-recorder.ts";
import type { RequestMeta } from "./request-meta.ts";

export interface TotpFactor {
  principalId: string;
  secretCiphertext: string;
  confirmedAt: Date | null;
  lastUsedStep: number;
}

/** TOTP factors and recovery codes (stores/pg-totp-store.ts); every one-time rule is atomic there. */
export interface SecondFactorRepository {
  find(principalId: string): Promise<TotpFactor | null>;
  begin(principalId: string, secretCiphertext: string, now: Date): Promise<boolean>;
  confirm(principalId: string, step: number, now: Date, codeHashes: string[]): Promise<boolean>;
  useStep(principalId: string, step: number): Promise<boolean>;
  consumeRecoveryCode(principalId: string, codeHash: string): Promise<boolean>;
  remainingRecoveryCodes(principalId: string): Promise<number>;
  remove(principalId: string): Promise<boolean>;
  confirmedAmong(principalIds: string[]): Promise<Set<string>>;
}

export interface SecondFactorDeps {
  secondFactors: SecondFactorRepository;
  /** Encrypts TOTP seeds at rest (stores/secret-box.ts). */
  secretBox: { seal(plain: string): string; open(sealed: string): string };
  principals: PrincipalStore;
  hasher: PasswordHasher;
  sessions: SessionService;
  throttle: AbuseThrottle;
  audit: AuditRecorder;
  clock: Clock;
  random: RandomSource;
  realms: RealmRegistry;
  /** ADMIN_2FA: whether principals of admin-API realms must have a second factor. */
  adminSecondFactor: "required" | "optional";
}

const periodSeconds = 30;
const recoveryCodeCount = 10;
const issuer = "Gatehouse";
// Crockford-style alphabet: no I, L, O, U (misread), so a code typed from paper matches.
const recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const stepAt = (now: Date) => Math.floor(now.getTime() / 1000 / periodSeconds);
const normalizeRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");
const hashRecoveryCode = (code: string) => createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");

/** One authenticator over the stored seed: 6 digits, 30-second steps, SHA-1 (what every app supports). */
function totpFor(principal: Principal, secretBase32: string): TOTP {
  return new TOTP({
    issuer,
    label: principal.email,
    algorithm: "SHA1",
    digits: 6,
    period: periodSeconds,
    secret: Secret.fromBase32(secretBase32),
  });
}

/**
 * TOTP second factor (SPEC §5): enrolment confirmed by a first code, 10 single-use recovery codes shown
 * once and stored hashed, the second step of sign-in, re-authentication for step-up, and removal. A code
 * is accepted once per 30-second step (the store's conditional update), every check is throttled like
 * a password (throttle catalog: `second-factor`, `reauthenticate`, `totp-enrolment`).
 */
export function secondFactorUseCases(deps: SecondFactorDeps) {
  const { secondFactors, audit } = deps;
  const principalOf = async (session: SessionRecord) => {
    const principal = await deps.principals.findById(session.realm, session.principalId);
    if (!principal || principal.disabledAt) throw new GatehouseError("not_authenticated");
    return principal;
  };
  /** The step of a currently valid code (one step of clock drift either way), or null. */
  const validStep = (principal: Principal, secretCiphertext: string, code: string): number | null => {
    const now = deps.clock.now();
    const delta = totpFor(principal, deps.secretBox.open(secretCiphertext)).validate({
      token: code,
      timestamp: now.getTime(),
      window: 1,
    });
    // otpauth: the offset of the matching step, and 0 means valid (STACK-NOTES.md).
    return delta === null ? null : stepAt(now) + delta;
  };
  /** A confirmed factor's code, used at most once: false for a wrong, expired or replayed code. */
  const useCode = async (principal: Principal, code: string): Promise<boolean> => {
    const factor = await secondFactors.find(principal.id);
    if (!factor?.confirmedAt) return false;
    const step = validStep(principal, factor.secretCiphertext, code);
    return step !== null && (await secondFactors.useStep(principal.id, step));
  };
  const newRecoveryCodes = () =>
    Array.from({ length: recoveryCodeCount }, () => {
      const chars = Array.from(deps.random.bytes(10), (byte) => recoveryAlphabet[byte % 32]).join("");
      return `${chars.slice(0, 5)}-${chars.slice(5)}`;
    });
  const subject = (meta: RequestMeta, principal: Principal) => ({ ip: meta.throttleIp, account: principal.id });

  return {
    /**
     * How far a sign-in that just checked the first factor goes: a confirmed factor means the code is
     * due next; an admin without one, under ADMIN_2FA=required, enrols before anything else.
     */
    async stageAfterPassword(principal: Principal): Promise<SessionStage> {
      const factor = await secondFactors.find(principal.id);
      if (factor?.confirmedAt) return "second_factor";
      const admin = deps.realms.get(principal.realm).adminApi;
      return admin && deps.adminSecondFactor === "required" ? "enrolment" : "full";
    },

    async status(session: SessionRecord) {
      const factor = await secondFactors.find(session.principalId);
      const required = deps.realms.get(session.realm).adminApi && deps.adminSecondFactor === "required";
      return {
        enrolled: Boolean(factor?.confirmedAt),
        required,
        recoveryCodesLeft: factor?.confirmedAt ? await secondFactors.remainingRecoveryCodes(session.principalId) : 0,
      };
    },

    /** Starts (or restarts) enrolment: a new seed, shown once as text, otpauth URI and QR code (SVG). */
    async beginEnrolment(session: SessionRecord) {
      const principal = await principalOf(session);
      const secret = new Secret({ size: 20 });
      if (!(await secondFactors.begin(principal.id, deps.secretBox.seal(secret.base32), deps.clock.now()))) {
        throw new GatehouseError("totp_already_enrolled");
      }
      const uri = totpFor(principal, secret.base32).toString();
      const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      return { secret: secret.base32, otpauthUri: uri, qrSvg };
    },

    /**
     * Confirms enrolment with a first code; returns the 10 recovery codes (shown once, stored hashed).
     * A session that was sent to enrolment becomes a full session with a new token.
     */
    async confirmEnrolment(
      session: SessionRecord,
      input: { code: string; captcha?: string | undefined },
      meta: RequestMeta,
    ) {
      const principal = await principalOf(session);
      const recoveryCodes = newRecoveryCodes();
      await deps.throttle.attempt(
        "totp-enrolment",
        principal.realm,
        subject(meta, principal),
        input.captcha,
        async () => {
          const factor = await secondFactors.find(principal.id);
          if (!factor) throw new GatehouseError("totp_not_enrolled");
          if (factor.confirmedAt) throw new GatehouseError("totp_already_enrolled");
          const step = validStep(principal, factor.secretCiphertext, input.code);
          const hashes = recoveryCodes.map(hashRecoveryCode);
          if (step === null || !(await secondFactors.confirm(principal.id, step, deps.clock.now(), hashes))) {
            throw new GatehouseError("totp_invalid");
          }
        },
      );
      await audit.record(meta, {
        type: "totp_enrolled",
        realm: principal.realm,
        principalId: principal.id,
        sessionId: session.id,
      });
      const completed = session.stage === "enrolment" ? await deps.sessions.completeSignIn(session) : null;
      return { principal, recoveryCodes, completed };
    },

    /**
     * The second step of sign-in: a code (once per 30-second step) or a recovery code (once). Throttled
     * per IP and account like a password; success swaps the half-signed-in session for a full one.
     */
    async verifySignIn(
      session: SessionRecord,
      input: { code?: string | undefined; recoveryCode?: string | undefined; captcha?: string | undefined },
      meta: RequestMeta,
    ) {
      const principal = await principalOf(session);
      const method = input.recoveryCode ? "recovery_code" : "totp";
      await deps.throttle
        .attempt("second-factor", principal.realm, subject(meta, principal), input.captcha, async () => {
          const ok = input.recoveryCode
            ? await secondFactors.consumeRecoveryCode(principal.id, hashRecoveryCode(input.recoveryCode))
            : input.code !== undefined && (await useCode(principal, input.code));
          if (!ok) throw new GatehouseError("totp_invalid");
        })
        .catch(async (error: unknown) => {
          if (failsWith("totp_invalid")(error)) {
            await audit.record(meta, {
              type: "totp_failed",
              realm: principal.realm,
              principalId: principal.id,
              sessionId: session.id,
              details: { method },
            });
          }
          throw error;
        });
      const completed = await deps.sessions.completeSignIn(session);
      if (!completed) throw new GatehouseError("not_authenticated");
      await audit.record(meta, {
        type: method === "totp" ? "totp_verified" : "recovery_code_used",
        realm: principal.realm,
        principalId: principal.id,
        sessionId: completed.session.id,
        details: method === "totp" ? {} : { left: await secondFactors.remainingRecoveryCodes(principal.id) },
      });
      return { principal, ...completed };
    },

    /** Re-authentication for step-up: the password, or a code when a factor is enrolled. */
    async reauthenticate(
      session: SessionRecord,
      input: { password?: string | undefined; code?: string | undefined; captcha?: string | undefined },
      meta: RequestMeta,
    ) {
      const principal = await principalOf(session);
      const method = input.code !== undefined ? "totp" : "password";
      await deps.throttle.attempt(
        "reauthenticate",
        principal.realm,
        subject(meta, principal),
        input.captcha,
        async () => {
          if (input.code !== undefined) {
            if (!(await useCode(principal, input.code))) throw new GatehouseError("totp_invalid");
            return;
          }
          const ok =
            input.password !== undefined &&
            principal.passwordHash !== null &&
            (await deps.hasher.verify(principal.passwordHash, input.password));
          if (!ok) throw new GatehouseError("invalid_credentials");
        },
      );
      if (!(await deps.sessions.markAuthenticated(session))) throw new GatehouseError("not_authenticated");
      await audit.record(meta, {
        type: "reauthenticated",
        realm: principal.realm,
        principalId: principal.id,
        sessionId: session.id,
        details: { method },
      });
      return { authenticatedAt: deps.clock.now() };
    },

    /** Removes the factor and its recovery codes (a step-up route). */
    async disable(session: SessionRecord, meta: RequestMeta) {
      const principal = await principalOf(session);
      if (!(await secondFactors.remove(principal.id))) throw new GatehouseError("totp_not_enrolled");
      await audit.record(meta, {
        type: "totp_disabled",
        realm: principal.realm,
        principalId: principal.id,
        sessionId: session.id,
      });
    },
  };
}

export type SecondFactorUseCases = ReturnType<typeof secondFactorUseCases>;
