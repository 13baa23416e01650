// Test access to ChamaHub internals that have no route: the job bodies and the schedule.
import type { ChamaDb } from "@gatehouse/chamahub";
import { applyMonthlyInterest, dueJobs } from "@gatehouse/chamahub/testing";
import type { Clock } from "@gatehouse/core";
import type { ChamaWorld } from "./chamahub.ts";

export function applyMonthlyInterestForTests(world: ChamaWorld, clock: Clock, month: string) {
  return applyMonthlyInterest(
    { db: world.db.database.db as unknown as ChamaDb, clock, audit: { record: async () => {} } },
    month,
  );
}

export const dueJobsForTests = dueJobs;
