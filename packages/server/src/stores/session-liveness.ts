import { sessionDeadlines } from "@gatehouse/core";
import { and, gt, lte, or, type SQL } from "drizzle-orm";
import { sessions } from "../db/schema/sessions.ts";

/*
 * The SQL mirror of core's `isLive` (`packages/core/src/session-rules.ts`), built from the same list
 * of deadlines: a deadline is the first instant at which the session is over. Every query that asks
 * "is this session live?" uses these two predicates; `test/session-liveness.contract.test.ts` checks
 * them (and their users) against `isLive` at the exact boundaries.
 */

/** Live at `now`: every deadline strictly after `now` (admin lists). */
export function sessionLiveAt(now: Date): SQL {
  return and(...sessionDeadlines.map((d) => gt(sessions[d.field], now))) as SQL;
}

/** Over at `now`, the exact negation: any deadline at or before `now` (cleanup). */
export function sessionEndedAt(now: Date): SQL {
  return or(...sessionDeadlines.map((d) => lte(sessions[d.field], now))) as SQL;
}
