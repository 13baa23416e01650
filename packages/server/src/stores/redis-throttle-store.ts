import {
  type DelayGate,
  type Released,
  type Reservation,
  StorageUnavailableError,
  type ThrottleCount,
  type ThrottleStore,
} from "@gatehouse/core";
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

/**
 * Reservation: one attempt counted unless the gate (free < 0: none) is closed. Returns
 * { admitted 0|1, count, last ms, previous last ms or -1 }. Same rules as gateDelaySeconds() in core.
 */
const reserveScript = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local free = tonumber(ARGV[3])
local maxDelay = tonumber(ARGV[4])
local function delay(c)
  if free < 0 or c < free then return 0 end
  return math.min(maxDelay, 1000 * 2 ^ math.min(c - free, 30))
end
local count, last = 0, -1
if tonumber(redis.call('HGET', KEYS[1], 'e') or '0') > now then
  count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
  last = tonumber(redis.call('HGET', KEYS[1], 'l') or '-1')
end
if free >= 0 and count >= free and last + delay(count) > now then return {0, count, last, -1} end
local keep = window + delay(count + 1)
redis.call('HSET', KEYS[1], 'c', count + 1, 'l', now, 'e', now + keep)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, count + 1, now, last}
`;

/** Release: ARGV = reserved at, previous last (-1: none), window, gate free (-1: none), max delay (ms). */
const releaseScript = `
local previous = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local free = tonumber(ARGV[4])
local maxDelay = tonumber(ARGV[5])
local count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
if count > 0 then count = count - 1 end
redis.call('HSET', KEYS[1], 'c', count)
if previous >= 0 and tonumber(redis.call('HGET', KEYS[1], 'l') or '-1') == tonumber(ARGV[1]) then
  local delay = 0
  if free >= 0 and count >= free then delay = math.min(maxDelay, 1000 * 2 ^ math.min(count - free, 30)) end
  local expires = previous + window + delay
  -- The key's TTL stays as the reservation set it (longer): it only garbage-collects, 'e' decides.
  redis.call('HSET', KEYS[1], 'l', previous, 'e', expires)
end
return 1
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
  gatehouseReserve(key: string, now: number, windowMs: number, free: number, maxDelayMs: number): Promise<number[]>;
  gatehouseRelease(
    key: string,
    reservedAt: number,
    previousLastAt: number,
    windowMs: number,
    free: number,
    maxDelayMs: number,
  ): Promise<number>;
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
    // No offline queue: while Redis is away a command fails at once (503) instead of waiting for the
    // next reconnect attempt (seconds, once ioredis backs off); the first use connects explicitly.
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    redis.on("error", () => {}); // reported per command below
    redis.defineCommand("gatehouseHit", { numberOfKeys: 1, lua: hitScript });
    redis.defineCommand("gatehouseClaim", { numberOfKeys: 1, lua: claimScript });
    redis.defineCommand("gatehouseReserve", { numberOfKeys: 1, lua: reserveScript });
    redis.defineCommand("gatehouseRelease", { numberOfKeys: 1, lua: releaseScript });
    this.redis = redis as ScriptedRedis;
  }

  async hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount> {
    const count = await this.guard(() =>
      this.redis.gatehouseHit(this.prefix + key, now.getTime(), windowSeconds * 1000),
    );
    return { count: Number(count), lastAt: new Date(now) };
  }

  async reserve(key: string, now: Date, windowSeconds: number, gate?: DelayGate): Promise<Reservation> {
    const [admitted, count, last, previous] = await this.guard(() =>
      this.redis.gatehouseReserve(
        this.prefix + key,
        now.getTime(),
        windowSeconds * 1000,
        gate?.freeCount ?? -1,
        (gate?.maxDelaySeconds ?? 0) * 1000,
      ),
    );
    if (Number(admitted) !== 1) return { admitted: false, count: Number(count), lastAt: new Date(Number(last)) };
    const previousLastAt = Number(previous) >= 0 ? new Date(Number(previous)) : null;
    return { admitted: true, count: Number(count), reservedAt: new Date(now), previousLastAt };
  }

  async release(key: string, reservation: Released, windowSeconds: number, gate?: DelayGate): Promise<void> {
    await this.guard(() =>
      this.redis.gatehouseRelease(
        this.prefix + key,
        reservation.reservedAt.getTime(),
        reservation.previousLastAt?.getTime() ?? -1,
        windowSeconds * 1000,
        gate?.freeCount ?? -1,
        (gate?.maxDelaySeconds ?? 0) * 1000,
      ),
    );
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

  async remove(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return Number(await this.guard(() => this.redis.del(...keys.map((key) => this.prefix + key))));
  }

  /** Throws (StorageUnavailableError) unless Redis answers now: readiness and `doctor`. */
  async ping(): Promise<void> {
    await this.guard(() => this.redis.ping());
  }

  async close(): Promise<void> {
    if (this.redis.status === "wait" || this.redis.status === "end") {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private connecting: Promise<void> | null = null;

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      // The first use connects; everyone waits for that one connection to be ready. Later outages
      // (status "reconnecting") fail at once.
      if (this.redis.status === "wait") this.connecting ??= this.redis.connect();
      if (this.connecting && this.redis.status !== "ready") await this.connecting;
      return await operation();
    } catch (error) {
      throw new StorageUnavailableError(error);
    }
  }
}
