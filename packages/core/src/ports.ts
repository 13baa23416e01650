/** Injected IO. The core never reads the wall clock or the CSPRNG directly, so tests can fix both. */
export interface Clock {
  now(): Date;
}

export interface RandomSource {
  /** Cryptographically secure random bytes. */
  bytes(length: number): Uint8Array;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: exact timeout tests without sleeps. */
export class FixedClock implements Clock {
  private current: number;
  constructor(start: Date | string | number = "2026-01-01T00:00:00.000Z") {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string | number): void {
    this.current = new Date(to).getTime();
  }
  advance({ milliseconds = 0, seconds = 0, minutes = 0, hours = 0, days = 0 }): void {
    this.current += milliseconds + 1000 * (seconds + 60 * (minutes + 60 * (hours + 24 * days)));
  }
}

/** A version-4 UUID from the injected randomness (RFC 9562 §5.4), so tests with a fixed source get fixed ids. */
export function randomUuid(random: RandomSource): string {
  const bytes = random.bytes(16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
