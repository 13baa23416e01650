/**
 * When scheduled ChamaHub work is due, in Africa/Nairobi time (UTC+3 all year: Kenya keeps no
 * daylight saving time, so a fixed offset is exact). Each slot has a dedupe key, so every node may
 * enqueue it and the queue keeps one.
 */
const nairobiOffsetMs = 3 * 3600_000;

const toNairobi = (at: Date) => new Date(at.getTime() + nairobiOffsetMs);
const fromNairobi = (local: Date) => new Date(local.getTime() - nairobiOffsetMs);
const day = (local: Date) => local.toISOString().slice(0, 10);

/** The last Monday 08:00 Nairobi at or before `now`. */
export function lastReminderSlot(now: Date): { at: Date; key: string } {
  const local = toNairobi(now);
  const monday = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 8));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  if (monday > local) monday.setUTCDate(monday.getUTCDate() - 7);
  return { at: fromNairobi(monday), key: `reminders:${day(monday)}` };
}

/** The last 1st-of-the-month 00:00 Nairobi at or before `now`, and the month that just ended. */
export function lastMonthStart(now: Date): { at: Date; month: string; paidMonth: string } {
  const local = toNairobi(now);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1));
  const previous = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  return { at: fromNairobi(start), month: day(start), paidMonth: day(previous) };
}

export interface ScheduledJob {
  type: "reminders" | "interest" | "statements";
  payload: Record<string, unknown>;
  dedupeKey: string;
}

/**
 * What should be enqueued now. Reminders are only sent within 6 hours of their slot (a node that was
 * down all Monday does not mail on Tuesday); interest and statements catch up any time in the month.
 */
export function dueJobs(now: Date): ScheduledJob[] {
  const due: ScheduledJob[] = [];
  const reminder = lastReminderSlot(now);
  if (now.getTime() - reminder.at.getTime() < 6 * 3600_000)
    due.push({ type: "reminders", payload: {}, dedupeKey: reminder.key });
  const month = lastMonthStart(now);
  due.push({ type: "interest", payload: { month: month.paidMonth }, dedupeKey: `interest:${month.paidMonth}` });
  due.push({ type: "statements", payload: { month: month.paidMonth }, dedupeKey: `statements:${month.paidMonth}` });
  return due;
}
