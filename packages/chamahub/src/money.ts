import { GatehouseError } from "@gatehouse/core";

/** KSh with at most two decimals, as a string ("1500", "1500.5", "1500.50") or a JSON number. */
const amountPattern = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Parses an amount into integer cents without ever going through a float multiplication:
 * the digits are split as text. Throws `validation_failed` for anything else (negative, 3 decimals, …).
 */
export function parseCents(input: string | number, field = "amount"): number {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input.trim();
  const match = amountPattern.exec(text);
  if (!match?.[1])
    throw new GatehouseError("validation_failed", {
      details: [{ location: "body", path: `/${field}`, problem: "invalid_amount" }],
    });
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (!Number.isSafeInteger(cents))
    throw new GatehouseError("validation_failed", {
      details: [{ location: "body", path: `/${field}`, problem: "too_big" }],
    });
  return cents;
}

/** Cents as a KSh decimal string with exactly two decimals ("1500.50"). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A percentage with at most two decimals (0–100) as basis points. */
export function parseRateBp(input: string | number, field = "interestRate"): number {
  const bp = parseCents(input, field);
  if (bp > 10_000)
    throw new GatehouseError("validation_failed", {
      details: [{ location: "body", path: `/${field}`, problem: "too_big" }],
    });
  return bp;
}

export const formatRate = (bp: number): string => formatCents(bp);

/** Integer division rounding half up, for non-negative operands (exact: no float). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
