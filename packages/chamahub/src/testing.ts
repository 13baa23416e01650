// For tests: the job bodies and the schedule, which no route exposes directly.
export { applyMonthlyInterest } from "./jobs/interest.ts";
export { dueJobs, lastMonthStart, lastReminderSlot } from "./jobs/schedule.ts";
export { loanSchedule, loanTotalDue, monthlyInterest } from "./rules.ts";
