import { Redis } from "ioredis";

/** The Redis server's version, or null when none answers at `redisUrl`. */
export async function redisVersion(redisUrl: string): Promise<string | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const info = await redis.info("server");
    return /redis_version:(\S+)/.exec(info)?.[1] ?? "?";
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

/** Deletes the run's keys (those under `redisPrefix`); best effort. */
export async function dropRedisKeys(redisUrl: string, redisPrefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    let cursor = "0";
    const deadline = Date.now() + 30_000;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0" && Date.now() < deadline);
  } catch {
    // best effort: throttle keys expire by TTL anyway
  } finally {
    redis.disconnect();
  }
}
