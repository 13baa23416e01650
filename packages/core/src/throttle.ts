import { createHmac } from "node:crypto";
import { GatehouseError } from "./errors.ts";
import type { Clock } from "./ports.ts";
import type { ThrottleStore } from "./throttle-store.ts";

export interface ThrottlePolicy {
  /** A counter forgets everything after this long without a failure. */
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
    },
  ) {}

  get policy(): ThrottlePolicy {
    return this.deps.policy;
  }

  /**
   * Before an attempt: throws `rate_limited` while the IP must wait, `captcha_required` when a CAPTCHA
   * is due and none came, `captcha_invalid` when the one that came does not verify (it is spent either way).
   */
  async guard(action: string, subject: ThrottleSubject, captchaSolution: string | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const { store, policy } = this.deps;
    const ip = await store.peek(ipKey(action, subject.ip), now);
    if (ip && ip.count >= policy.ipFreeFailures) {
      const delaySeconds = Math.min(policy.maxDelaySeconds, 2 ** (ip.count - policy.ipFreeFailures));
      const waitMs = ip.lastAt.getTime() + delaySeconds * 1000 - now.getTime();
      if (waitMs > 0) {
        const retryAfterSeconds = Math.ceil(waitMs / 1000);
        throw new GatehouseError("rate_limited", {
          details: { retryAfterSeconds },
          headers: { "retry-after": String(retryAfterSeconds) },
        });
      }
    }
    if (!(await this.captchaDue(action, subject, ip?.count ?? 0))) return;
    if (!captchaSolution) throw new GatehouseError("captcha_required");
    if (!(await this.deps.captcha.verify(captchaSolution))) throw new GatehouseError("captcha_invalid");
  }

  /** After a failed attempt: one atomic increment per counter. */
  async recordFailure(action: string, subject: ThrottleSubject): Promise<void> {
    const now = this.deps.clock.now();
    const window = this.deps.policy.windowSeconds;
    await this.deps.store.hit(ipKey(action, subject.ip), now, window);
    if (subject.account) await this.deps.store.hit(this.accountKey(action, subject.account), now, window);
  }

  /** For requests where every attempt counts, such as password-reset requests: guard, then count. */
  async consume(action: string, subject: ThrottleSubject, captchaSolution: string | undefined): Promise<void> {
    await this.guard(action, subject, captchaSolution);
    await this.recordFailure(action, subject);
  }

  /**
   * A plain request budget per IP, for cheap-to-ask, costly-to-answer endpoints (CAPTCHA challenges):
   * beyond `max` requests in `windowSeconds` (fixed from the first), `rate_limited` until the window ends.
   */
  async limitRate(action: string, ip: string | null, max: number, windowSeconds: number): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    // One counter per window slot, so the window does not slide forward with every refused request.
    const slot = Math.floor(now.getTime() / (windowSeconds * 1000));
    const hit = await store.hit(`throttle:${action}:rate:${slot}:${ip ?? "unknown"}`, now, windowSeconds);
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
    const hit = await store.hit(`throttle:invalid-token:ip:${ip ?? "unknown"}`, clock.now(), policy.windowSeconds);
    if (hit.count > policy.invalidTokensPerWindow) {
      throw new GatehouseError("rate_limited", {
        details: { retryAfterSeconds: policy.windowSeconds, reason: "invalid_session_tokens" },
        headers: { "retry-after": String(policy.windowSeconds) },
      });
    }
  }

  /** Emails never appear in a key: a store (Redis, a table) only ever sees their keyed hash. */
  private accountKey(action: string, account: string): string {
    const digest = createHmac("sha256", this.deps.accountKeySecret)
      .update(`throttle-account:${account}`, "utf8")
      .digest("base64url");
    return `throttle:${action}:acct:${digest}`;
  }

  private async captchaDue(action: string, subject: ThrottleSubject, ipCount: number): Promise<boolean> {
    const threshold = this.deps.policy.captchaAfterFailures;
    if (ipCount >= threshold) return true;
    if (!subject.account) return false;
    const account = await this.deps.store.peek(this.accountKey(action, subject.account), this.deps.clock.now());
    return (account?.count ?? 0) >= threshold;
  }
}

function ipKey(action: string, ip: string | null): string {
  return `throttle:${action}:ip:${ip ?? "unknown"}`;
}
