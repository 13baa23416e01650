import { cheapCaptchaEnv } from "./captcha.ts";

/**
 * Env for servers whose tests exercise throttling: a cheap CAPTCHA, X-Forwarded-For trusted from the
 * local test client (so one test can play many IPs), and Redis counters when REDIS_URL is set — under
 * a fresh key prefix, so runs never see each other's counters.
 */
export function abuseTestEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...cheapCaptchaEnv, TRUSTED_PROXIES: "127.0.0.1,::1", ...extra };
  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    env.REDIS_KEY_PREFIX = `gatehouse-test-${crypto.randomUUID().slice(0, 8)}:`;
  }
  return env;
}

export const throttleBackend = process.env.REDIS_URL ? "Redis" : "database";
