import { createHmac } from "node:crypto";
import { GatehouseError } from "./errors.ts";
import type { Clock } from "./ports.ts";
import {
  type AttemptAction,
  buildThrottleCatalog,
  type RateAction,
  type ThrottleCatalog,
  type ThrottlePolicy,
  type ThrottleRule,
} from "./throttle-catalog.ts";
import { type DelayGate, gateDelaySeconds, type Released, type ThrottleStore } from "./throttle-store.ts";

/** Who is trying: the client IP (already resolved through trusted proxies) and the account named, if any. */
export interface ThrottleSubject {
  ip: string | null;
  /** The account identifier as typed (e.g. a normalised email). Only its hash is ever stored. */
  account?: string | null;
}

/** Checks a CAPTCHA solution once: a solution that verified is spent. */
export interface CaptchaVerifier {
  verify(solution: string): Promise<boolean>;
}

/**
 * Login-style throttling with no lockout. An IP that keeps failing waits longer and longer (429 with
 * Retry-After). An account that keeps failing, from any number of IPs, only ever demands a CAPTCHA:
 * its owner, who knows the password, signs in by solving one, so an attacker cannot lock them out.
 * `action` separates the counters of login, one-time-code verify and password-reset requests.
 */
export class AbuseThrottle {
  constructor(
    private readonly deps: {
      store: ThrottleStore;
      clock: Clock;
      policy: ThrottlePolicy;
      captcha: CaptchaVerifier;
      /** Keys the account hashes (HMAC), so a dump of counter keys cannot be matched against guessed emails. */
      accountKeySecret: Uint8Array;
      /** The actions and their budgets; the default catalog unless configured. */
      catalog?: ThrottleCatalog;
    },
  ) {
    this.catalog = deps.catalog ?? buildThrottleCatalog();
  }

  readonly catalog: ThrottleCatalog;

  get policy(): ThrottlePolicy {
    return this.deps.policy;
  }

  /**
   * Runs one attempt of a catalogued action (`throttle-catalog.ts`) in `scope` (the realm) under the
   * throttle. The attempt is counted against the IP and the account *before* `run` starts (one atomic
   * reservation each), so N parallel attempts count as N and no burst slips past the limits while the
   * expensive check (argon2, a code lookup) is still running. Then:
   * - the IP is still waiting: `rate_limited` (nothing counted);
   * - a CAPTCHA is due (IP or account at the limit) and none came / it does not verify:
   *   `captcha_required` / `captcha_invalid` (the reservation is given back; a solution is spent either way);
   * - the action counts every request, or `run` fails with one of its catalogued failure codes:
   *   the reservation stays;
   * - otherwise (`run` succeeds, or fails for another reason such as bad input or storage): it is given back.
   */
  async attempt<T>(
    action: AttemptAction,
    scope: string,
    subject: ThrottleSubject,
    captchaSolution: string | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    const rule: ThrottleRule = this.catalog[action];
    if (rule.kind !== "attempts" && rule.kind !== "every-request") throw new Error(`${action}: not an attempt`);
    const account = rule.perAccount ? subject.account : null;
    const held = await this.admit(`${action}:${scope}`, { ip: subject.ip, account }, captchaSolution);
    if (rule.kind === "every-request") return run();
    try {
      const result = await run();
      await this.giveBack(held);
      return result;
    } catch (error) {
      if (!failsWith(...rule.failures)(error)) await this.giveBack(held);
      throw error;
    }
  }

  /**
   * A plain per-IP request budget (a catalogued `rate` action), for cheap-to-ask, costly-to-answer
   * endpoints: beyond `max` requests in the window (fixed from its start), `rate_limited` until it ends.
   */
  async limitRate(action: RateAction, scope: string | null, ip: string | null): Promise<void> {
    const { max, windowSeconds } = this.catalog[action];
    const { store, clock } = this.deps;
    const now = clock.now();
    const name = scope ? `${action}:${scope}` : action;
    // One counter per window slot, so the window does not slide forward with every refused request.
    const slot = Math.floor(now.getTime() / (windowSeconds * 1000));
    const hit = await store.hit(`throttle:${name}:rate:${slot}:${ip ?? "unknown"}`, now, windowSeconds);
    if (hit.count > max) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((slot + 1) * windowSeconds * 1000 - now.getTime()) / 1000));
      throw new GatehouseError("rate_limited", {
        details: { retryAfterSeconds },
        headers: { "retry-after": String(retryAfterSeconds) },
      });
    }
  }

  /**
   * Counts a session token that did not verify (guessing, or a stale cookie: a browser presents one
   * once, then the cookie is cleared). Beyond the limit, throws `rate_limited` until the IP has been
   * quiet for a window. Requests with a valid session or no cookie are never affected.
   */
  async recordInvalidToken(ip: string | null): Promise<void> {
    const { store, clock, policy } = this.deps;
    const hit = await store.hit(invalidTokenKey(ip), clock.now(), policy.windowSeconds);
    if (hit.count > policy.invalidTokensPerWindow) {
      throw new GatehouseError("rate_limited", {
        details: { retryAfterSeconds: policy.windowSeconds, reason: "invalid_session_tokens" },
        headers: { "retry-after": String(policy.windowSeconds) },
      });
    }
  }

  /**
   * Forgets the counters of an IP (every attempt action in every scope, and its invalid-token count)
   * or of an account (its per-account counters), so an operator can lift delays and CAPTCHAs early.
   * `account` is the normalised email, as the use cases pass it. Returns how many counters existed.
   */
  async clear(subject: { ip?: string | null; account?: string | null }, scopes: readonly string[]): Promise<number> {
    const keys: string[] = [];
    for (const [action, rule] of Object.entries(this.catalog) as [string, ThrottleRule][]) {
      if (rule.kind !== "attempts" && rule.kind !== "every-request") continue;
      for (const scope of scopes) {
        if (subject.ip) keys.push(ipKey(`${action}:${scope}`, subject.ip));
        if (subject.account && rule.perAccount) keys.push(this.accountKey(`${action}:${scope}`, subject.account));
      }
    }
    if (subject.ip) keys.push(invalidTokenKey(subject.ip));
    return this.deps.store.remove(keys);
  }

  /** Emails never appear in a key: a store (Redis, a table) only ever sees their keyed hash. */
  private accountKey(action: string, account: string): string {
    const digest = createHmac("sha256", this.deps.accountKeySecret)
      .update(`throttle-account:${account}`, "utf8")
      .digest("base64url");
    return `throttle:${action}:acct:${digest}`;
  }

  /** Reserves one attempt on the IP (behind its delay gate) and the account, then settles the CAPTCHA. */
  private async admit(name: string, subject: ThrottleSubject, captchaSolution: string | undefined): Promise<Held[]> {
    const { store, clock, policy } = this.deps;
    const now = clock.now();
    const gate = { freeCount: policy.ipFreeFailures, maxDelaySeconds: policy.maxDelaySeconds };
    const ip = ipKey(name, subject.ip);
    const onIp = await store.reserve(ip, now, policy.windowSeconds, gate);
    if (!onIp.admitted) {
      const waitMs = onIp.lastAt.getTime() + gateDelaySeconds(onIp.count, gate) * 1000 - now.getTime();
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new GatehouseError("rate_limited", {
        details: { retryAfterSeconds },
        headers: { "retry-after": String(retryAfterSeconds) },
      });
    }
    const held: Held[] = [{ key: ip, reservation: onIp, gate }];
    try {
      // Counts before this attempt, in-flight attempts of others included: at most `threshold` get through.
      let captchaDue = onIp.count - 1 >= policy.captchaAfterFailures;
      if (subject.account) {
        const account = this.accountKey(name, subject.account);
        const onAccount = await store.reserve(account, now, policy.windowSeconds);
        if (onAccount.admitted) held.push({ key: account, reservation: onAccount });
        captchaDue ||= onAccount.count - 1 >= policy.captchaAfterFailures;
      }
      if (captchaDue) {
        if (!captchaSolution) throw new GatehouseError("captcha_required");
        if (!(await this.deps.captcha.verify(captchaSolution))) throw new GatehouseError("captcha_invalid");
      }
      return held;
    } catch (error) {
      await this.giveBack(held);
      throw error;
    }
  }

  /**
   * Best effort: a release that fails (storage down) leaves the counter one too high, which only ever
   * errs on the careful side; it must not turn a successful sign-in into an error.
   */
  private async giveBack(held: Held[]): Promise<void> {
    const { store, policy } = this.deps;
    await Promise.all(
      held.map((h) => store.release(h.key, h.reservation, policy.windowSeconds, h.gate).catch(() => undefined)),
    );
  }
}

interface Held {
  key: string;
  reservation: Released;
  gate?: DelayGate;
}

/** For `attempt`'s `isFailure`: the attempt failed with one of these catalog codes. */
export function failsWith(...codes: string[]): (error: unknown) => boolean {
  return (error) => error instanceof GatehouseError && codes.includes(error.code);
}

function invalidTokenKey(ip: string | null): string {
  return `throttle:invalid-token:ip:${ip ?? "unknown"}`;
}

function ipKey(action: string, ip: string | null): string {
  return `throttle:${action}:ip:${ip ?? "unknown"}`;
}
