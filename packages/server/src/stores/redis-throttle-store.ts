import { StorageUnavailableError, type ThrottleCount, type ThrottleStore } from "@gatehouse/core";
import { Redis } from "ioredis";

/**
 * Counter as a hash { c: count, l: last hit ms, e: expiry ms }, all on the caller's clock. The Redis
 * TTL only garbage-collects; the clock comparison decides, so every store agrees on expiry.
 */
const hitScript = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local expires = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local count = 1
if expires > now then count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0') + 1 end
redis.call('HSET', KEYS[1], 'c', count, 'l', now, 'e', now + window)
redis.call('PEXPIRE', KEYS[1], window)
return count
`;

const claimScript = `
local now = tonumber(ARGV[1])
local expires = tonumber(ARGV[2])
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if held > now then return 0 end
redis.call('SET', KEYS[1], expires, 'PX', math.max(1, expires - now))
return 1
`;

type ScriptedRedis = Redis & {
  gatehouseHit(key: string, now: number, windowMs: number): Promise<number>;
  gatehouseClaim(key: string, now: number, expiresAt: number): Promise<number>;
};

/** Throttle counters in Redis, each change one Lua script (atomic). Keys carry hashes only, never secrets. */
export class RedisThrottleStore implements ThrottleStore {
  private readonly redis: ScriptedRedis;

  constructor(
    url: string,
    private readonly prefix = "gatehouse:",
  ) {
    // Fail fast instead of queueing forever: an unreachable Redis is a 503, never "not throttled".
    // lazyConnect: a process that never throttles (a CLI command) never opens a connection to close.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000, lazyConnect: true });
    redis.on("error", () => {}); // reported per command below
    redis.defineCommand("gatehouseHit", { numberOfKeys: 1, lua: hitScript });
    redis.defineCommand("gatehouseClaim", { numberOfKeys: 1, lua: claimScript });
    this.redis = redis as ScriptedRedis;
  }

  async hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount> {
    const count = await this.guard(() =>
      this.redis.gatehouseHit(this.prefix + key, now.getTime(), windowSeconds * 1000),
    );
    return { count: Number(count), lastAt: new Date(now) };
  }

  async peek(key: string, now: Date): Promise<ThrottleCount | null> {
    const [count, lastAt, expires] = await this.guard(() => this.redis.hmget(this.prefix + key, "c", "l", "e"));
    if (!count || !lastAt || !expires || Number(expires) <= now.getTime()) return null;
    return { count: Number(count), lastAt: new Date(Number(lastAt)) };
  }

  async claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const won = await this.guard(() =>
      this.redis.gatehouseClaim(this.prefix + key, now.getTime(), expiresAt.getTime()),
    );
    return Number(won) === 1;
  }

  async close(): Promise<void> {
    if (this.redis.status === "wait" || this.redis.status === "end") {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new StorageUnavailableError(error);
    }
  }
}
