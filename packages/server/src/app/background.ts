import type { ErrorLog } from "./audit-recorder.ts";

/**
 * Runs work after the answer has gone out (mail, lookups whose timing must not show in the answer).
 * A failure is logged through the scrubbing `err` serializer, never thrown at a caller that is gone.
 */
export function runInBackground(log: ErrorLog, message: string, work: () => Promise<void>): void {
  setImmediate(() => {
    work().catch((error: unknown) => log.error({ err: error }, message));
  });
}
