import type { ErrorCode } from "./errors.ts";

/** The budgets of `attempts` actions (THROTTLE_* variables). */
export interface ThrottlePolicy {
  /**
   * A counter forgets everything after this long without a failure, counted from the end of the wait it
   * imposes (so a counter is never forgotten the moment its longest delay ends).
   */
  windowSeconds: number;
  /** Failures from one IP before it has to wait (delay 1 s, then 2 s, 4 s, … up to `maxDelaySeconds`). */
  ipFreeFailures: number;
  /** Failures (against one account from anywhere, or from one IP) before a CAPTCHA is demanded. */
  captchaAfterFailures: number;
  maxDelaySeconds: number;
  /** Unknown or malformed session tokens one IP may present per window before its requests are refused. */
  invalidTokensPerWindow: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  windowSeconds: 15 * 60,
  ipFreeFailures: 5,
  captchaAfterFailures: 5,
  maxDelaySeconds: 15 * 60,
  invalidTokensPerWindow: 100,
};

/**
 * Every throttled action, its budget and which outcomes count against it — the one table beside the
 * error catalog. docs/abuse-protection.md lists it (a test keeps the two in sync). Budgets come from
 * the throttle policy (THROTTLE_* variables) or from the rate limits below (configurable the same way).
 *
 * Kinds:
 * - `attempts`: each attempt is reserved before the check; it stays counted only when the check fails
 *   with one of `failures`. Per IP: growing delays after `ipFreeFailures`; per IP or account: a CAPTCHA
 *   after `captchaAfterFailures`; never a lockout.
 * - `every-request`: like `attempts`, but every admitted request stays counted (mail-sending requests).
 * - `rate`: a plain per-IP budget of `max` requests per fixed window of `windowSeconds`.
 * - `invalid-tokens`: session cookies that are not a session, per IP per throttle window.
 */
export type ThrottleRule =
  | { kind: "attempts"; failures: readonly ErrorCode[]; perAccount: boolean; purpose: string }
  | { kind: "every-request"; perAccount: boolean; purpose: string }
  | { kind: "rate"; max: number; windowSeconds: number; purpose: string }
  | { kind: "invalid-tokens"; purpose: string };

export interface RateLimits {
  otpRequestsPerWindow: number;
  otpRequestWindowSeconds: number;
  captchaChallengesPerMinute: number;
}

export const defaultRateLimits: RateLimits = {
  otpRequestsPerWindow: 20,
  otpRequestWindowSeconds: 10 * 60,
  captchaChallengesPerMinute: 30,
};

export function buildThrottleCatalog(limits: RateLimits = defaultRateLimits) {
  return {
    login: {
      kind: "attempts",
      failures: ["invalid_credentials"],
      perAccount: true,
      purpose: "password sign-in",
    },
    otp: { kind: "attempts", failures: ["otp_invalid"], perAccount: true, purpose: "one-time-code sign-in" },
    "password-change": {
      kind: "attempts",
      failures: ["invalid_credentials"],
      perAccount: true,
      purpose: "wrong current password on password change (a stolen session is no guessing oracle)",
    },
    "second-factor": {
      kind: "attempts",
      failures: ["totp_invalid"],
      perAccount: true,
      purpose: "TOTP or recovery code after the password (second step of sign-in)",
    },
    reauthenticate: {
      kind: "attempts",
      failures: ["invalid_credentials", "totp_invalid"],
      perAccount: true,
      purpose: "re-authentication for sensitive actions (password or TOTP code)",
    },
    "totp-enrolment": {
      kind: "attempts",
      failures: ["totp_invalid"],
      perAccount: true,
      purpose: "first code confirming a TOTP enrolment",
    },
    signup: {
      kind: "attempts",
      failures: ["email_taken"],
      perAccount: false,
      purpose: "sign-up probing for existing emails",
    },
    "password-reset": { kind: "every-request", perAccount: true, purpose: "reset-link requests (mail bombing)" },
    "otp-request": {
      kind: "rate",
      max: limits.otpRequestsPerWindow,
      windowSeconds: limits.otpRequestWindowSeconds,
      purpose: "one-time-code requests (mail sent)",
    },
    captcha: {
      kind: "rate",
      max: limits.captchaChallengesPerMinute,
      windowSeconds: 60,
      purpose: "CAPTCHA challenges (each costs a key derivation)",
    },
    "invalid-token": { kind: "invalid-tokens", purpose: "session cookies that are not a session" },
  } as const satisfies Record<string, ThrottleRule>;
}

export type ThrottleCatalog = ReturnType<typeof buildThrottleCatalog>;
export type ThrottledAction = keyof ThrottleCatalog;
export type AttemptAction = {
  [A in ThrottledAction]: ThrottleCatalog[A]["kind"] extends "attempts" | "every-request" ? A : never;
}[ThrottledAction];
export type RateAction = {
  [A in ThrottledAction]: ThrottleCatalog[A]["kind"] extends "rate" ? A : never;
}[ThrottledAction];

/** The catalog as rows for docs/abuse-protection.md: action | kind | budget | what counts | purpose. */
export function describeThrottleCatalog(catalog: ThrottleCatalog, policy: ThrottlePolicy): string[][] {
  const attemptsBudget = (perAccount: boolean) =>
    `IP: wait after ${policy.ipFreeFailures}, CAPTCHA after ${policy.captchaAfterFailures}` +
    (perAccount ? `; account: CAPTCHA after ${policy.captchaAfterFailures}` : "") +
    `; window ${policy.windowSeconds} s`;
  return Object.entries(catalog).map(([action, rule]: [string, ThrottleRule]) => {
    switch (rule.kind) {
      case "attempts":
        return [action, rule.kind, attemptsBudget(rule.perAccount), rule.failures.join(", "), rule.purpose];
      case "every-request":
        return [action, rule.kind, attemptsBudget(rule.perAccount), "every admitted request", rule.purpose];
      case "rate":
        return [action, rule.kind, `IP: ${rule.max} per ${rule.windowSeconds} s`, "every request", rule.purpose];
      default:
        return [
          action,
          rule.kind,
          `IP: ${policy.invalidTokensPerWindow} per ${policy.windowSeconds} s`,
          "unknown or malformed session cookie",
          rule.purpose,
        ];
    }
  });
}
