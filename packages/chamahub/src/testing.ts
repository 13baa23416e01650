// For tests: the job bodies and the schedule, which no route exposes directly.
export { applyMonthlyInterest } from "./jobs/interest.ts";
export { JobQueue } from "./jobs/queue.ts";
export { JobRunner } from "./jobs/runner.ts";
export { dueJobs, lastMonthStart, lastReminderSlot } from "./jobs/schedule.ts";
export { sendStatements } from "./jobs/statements.ts";
export { loanSchedule, loanTotalDue, monthlyInterest } from "./rules.ts";
