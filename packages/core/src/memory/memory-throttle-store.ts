import type { ThrottleCount, ThrottleStore } from "../throttle-store.ts";

/** In-process double. Single-threaded JS makes each method atomic. Passes the ThrottleStore contract. */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly counters = new Map<string, { count: number; lastAt: number; expiresAt: number }>();
  private readonly claims = new Map<string, number>();

  async hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount> {
    const current = this.counters.get(key);
    const live = current && current.expiresAt > now.getTime();
    const count = live ? current.count + 1 : 1;
    this.counters.set(key, { count, lastAt: now.getTime(), expiresAt: now.getTime() + windowSeconds * 1000 });
    return { count, lastAt: new Date(now) };
  }

  async peek(key: string, now: Date): Promise<ThrottleCount | null> {
    const current = this.counters.get(key);
    if (!current || current.expiresAt <= now.getTime()) return null;
    return { count: current.count, lastAt: new Date(current.lastAt) };
  }

  async claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const until = this.claims.get(key);
    if (until !== undefined && until > now.getTime()) return false;
    this.claims.set(key, expiresAt.getTime());
    return true;
  }
}
