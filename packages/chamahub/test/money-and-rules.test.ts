import { describe, expect, it } from "vitest";
import { dueJobs, lastMonthStart, lastReminderSlot } from "../src/jobs/schedule.ts";
import { formatCents, parseCents, parseRateBp } from "../src/money.ts";
import { loanSchedule, loanTotalDue, monthlyInterest } from "../src/rules.ts";
import { sanitizeDescription } from "../src/sanitize.ts";

describe("money", () => {
  it.each([
    ["1500", 150_000],
    ["1500.5", 150_050],
    ["1500.50", 150_050],
    ["0.01", 1],
    [" 7.10 ", 710],
    [1500.5, 150_050],
    [0.1, 10],
    ["9999999999999.99", 999_999_999_999_999],
  ] as const)("parses %j as %d cents without float arithmetic", (input, cents) => {
    expect(parseCents(input)).toBe(cents);
  });

  it.each(["-1", "1.234", "1,000", "1e3", "", "abc", ".5", "1.", Number.NaN, Number.POSITIVE_INFINITY, 1e21])(
    "refuses %j with validation_failed",
    (input) => {
      expect(() => parseCents(input as string | number)).toThrow(
        expect.objectContaining({ code: "validation_failed" }),
      );
    },
  );

  it("formats cents as exact two-decimal KSh", () => {
    expect([0, 1, 10, 150_050, -205].map(formatCents)).toEqual(["0.00", "0.01", "0.10", "1500.50", "-2.05"]);
    // 0.1 + 0.2 in cents stays exact.
    expect(formatCents(parseCents("0.1") + parseCents("0.2"))).toBe("0.30");
  });

  it("takes interest rates of 0–100 % with two decimals", () => {
    expect(parseRateBp("12.5")).toBe(1250);
    expect(parseRateBp(100)).toBe(10_000);
    expect(() => parseRateBp("100.01")).toThrow();
  });
});

describe("loan and interest rules", () => {
  it("flat interest over the term, half up to the cent", () => {
    expect(loanTotalDue(100_000, 1250, 3)).toBe(103_125);
    expect(loanTotalDue(100, 1000, 1)).toBe(101); // 0.8333 cent → 1
    expect(loanTotalDue(5000, 0, 12)).toBe(5000);
  });

  it("installments add up to the total exactly; the last takes the remainder; month ends are clamped", () => {
    const schedule = loanSchedule(100_001, 3, new Date("2026-01-31T10:00:00Z"));
    expect(schedule.map((i) => i.amountCents)).toEqual([33_333, 33_333, 33_335]);
    expect(schedule.reduce((sum, i) => sum + i.amountCents, 0)).toBe(100_001);
    expect(schedule.map((i) => i.dueDate)).toEqual(["2026-02-28", "2026-03-31", "2026-04-30"]);
  });

  it("monthly interest matches the job's SQL rounding (half up)", () => {
    expect(monthlyInterest(1_000_000, 1250)).toBe(10_417);
    expect(monthlyInterest(33_333, 1250)).toBe(347);
    expect(monthlyInterest(4, 1250)).toBe(0);
    expect(monthlyInterest(120_000, 100)).toBe(100);
  });
});

describe("description sanitizing", () => {
  it("keeps formatting and safe links, removes anything that runs", () => {
    const dirty =
      '<p onclick="x()">Hi <strong>all</strong></p><img src=x onerror=alert(1)><iframe src="//evil"></iframe>' +
      '<a href="https://chama.example">site</a><a href="javascript:alert(1)">bad</a><style>p{}</style><script>1</script>';
    expect(sanitizeDescription(dirty)).toBe(
      '<p>Hi <strong>all</strong></p><a href="https://chama.example" rel="noopener noreferrer nofollow">site</a>' +
        '<a rel="noopener noreferrer nofollow">bad</a>',
    );
  });
});

describe("schedule (Africa/Nairobi, UTC+3)", () => {
  it("reminder slots are Mondays 08:00 Nairobi", () => {
    expect(lastReminderSlot(new Date("2026-03-09T05:00:00Z"))).toEqual({
      at: new Date("2026-03-09T05:00:00Z"),
      key: "reminders:2026-03-09",
    });
    // Sunday night in Nairobi still belongs to the previous Monday.
    expect(lastReminderSlot(new Date("2026-03-15T20:59:00Z")).key).toBe("reminders:2026-03-09");
    expect(lastReminderSlot(new Date("2026-03-09T04:59:59Z")).key).toBe("reminders:2026-03-02");
  });

  it("a month starts at 00:00 Nairobi on the 1st and pays the month before", () => {
    expect(lastMonthStart(new Date("2026-01-31T21:00:00Z"))).toEqual({
      at: new Date("2026-01-31T21:00:00Z"),
      month: "2026-02-01",
      paidMonth: "2026-01-01",
    });
    expect(lastMonthStart(new Date("2026-01-01T00:00:00Z")).paidMonth).toBe("2025-12-01");
    expect(dueJobs(new Date("2026-01-01T00:00:00Z")).map((j) => j.dedupeKey)).toEqual([
      "interest:2025-12-01",
      "statements:2025-12-01",
    ]);
  });
});
