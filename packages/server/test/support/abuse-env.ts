import { cheapCaptchaEnv } from "./captcha.ts";

/**
 * Env for servers whose tests exercise throttling: a cheap CAPTCHA, X-Forwarded-For trusted from the
 * local test client (so one test can play many IPs), and Redis counters when REDIS_URL is set — under
 * a fresh key prefix, so runs never see each other's counters.
 */
/**
 * CI runs the suite twice: once with throttle counters in the database (TEST_THROTTLE_BACKEND=database,
 * while REDIS_URL still serves the Redis store's contract test) and once in Redis.
 */
const redisUrl = process.env.TEST_THROTTLE_BACKEND === "database" ? undefined : process.env.REDIS_URL;
const useRedisCounters = redisUrl !== undefined;

export function abuseTestEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...cheapCaptchaEnv, TRUSTED_PROXIES: "127.0.0.1,::1", ...extra };
  if (redisUrl) {
    env.REDIS_URL = redisUrl;
    env.REDIS_KEY_PREFIX = `gatehouse-test-${crypto.randomUUID().slice(0, 8)}:`;
  }
  return env;
}

export const throttleBackend = useRedisCounters ? "Redis" : "database";
