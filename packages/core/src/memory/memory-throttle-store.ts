import {
  type DelayGate,
  gateDelaySeconds,
  type Released,
  type Reservation,
  type ThrottleCount,
  type ThrottleStore,
} from "../throttle-store.ts";

interface Counter {
  count: number;
  lastAt: number;
  expiresAt: number;
}

/** In-process double. Single-threaded JS makes each method atomic. Passes the ThrottleStore contract. */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly counters = new Map<string, Counter>();
  private readonly claims = new Map<string, number>();

  async hit(key: string, now: Date, windowSeconds: number): Promise<ThrottleCount> {
    const current = this.live(key, now);
    const count = (current?.count ?? 0) + 1;
    this.counters.set(key, {
      count,
      lastAt: now.getTime(),
      expiresAt: now.getTime() + windowSeconds * 1000,
    });
    return { count, lastAt: new Date(now) };
  }

  async reserve(key: string, now: Date, windowSeconds: number, gate?: DelayGate): Promise<Reservation> {
    const current = this.live(key, now);
    const waiting =
      current &&
      gate &&
      current.count >= gate.freeCount &&
      current.lastAt + gateDelaySeconds(current.count, gate) * 1000 > now.getTime();
    if (current && waiting) {
      return { admitted: false, count: current.count, lastAt: new Date(current.lastAt) };
    }
    const count = (current?.count ?? 0) + 1;
    const keepSeconds = windowSeconds + (gate ? gateDelaySeconds(count, gate) : 0);
    this.counters.set(key, {
      count,
      lastAt: now.getTime(),
      expiresAt: now.getTime() + keepSeconds * 1000,
    });
    const previousLastAt = current ? new Date(current.lastAt) : null;
    return { admitted: true, count, reservedAt: new Date(now), previousLastAt };
  }

  async release(key: string, reservation: Released, windowSeconds: number, gate?: DelayGate): Promise<void> {
    const current = this.counters.get(key);
    if (!current) return;
    current.count = Math.max(0, current.count - 1);
    if (current.lastAt === reservation.reservedAt.getTime() && reservation.previousLastAt) {
      current.lastAt = reservation.previousLastAt.getTime();
      current.expiresAt = current.lastAt + (windowSeconds + (gate ? gateDelaySeconds(current.count, gate) : 0)) * 1000;
    }
  }

  async peek(key: string, now: Date): Promise<ThrottleCount | null> {
    const current = this.live(key, now);
    return current ? { count: current.count, lastAt: new Date(current.lastAt) } : null;
  }

  async claimOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const until = this.claims.get(key);
    if (until !== undefined && until > now.getTime()) return false;
    this.claims.set(key, expiresAt.getTime());
    return true;
  }

  async remove(keys: readonly string[]): Promise<number> {
    return keys.filter((key) => this.counters.delete(key)).length;
  }

  private live(key: string, now: Date): Counter | null {
    const current = this.counters.get(key);
    return current && current.expiresAt > now.getTime() ? current : null;
  }
}
