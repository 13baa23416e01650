import { vi } from "vitest";

/** Waits for work that finishes after the answer (reset mails, audit events), generous enough for slow CI. */
export function eventually<T>(assertion: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(assertion, { timeout: 10_000, interval: 20 });
}
