import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { chamas, contributions, members } from "../db/schema.ts";
import { recordChange } from "../events.ts";
import { parseCents } from "../money.ts";
import type { ChamaHubDeps } from "../ports.ts";
import { PermanentJobError } from "./runner.ts";

export const maxImportRows = 50_000;
const batchSize = 1000;

/** Splits one CSV line (commas, optional double quotes with "" escapes). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

const validDate = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) &&
  !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

const bad = (row: number, problem: string): never => {
  throw new PermanentJobError(`row ${row}: ${problem}; nothing was imported`, { code: "import_invalid", row, problem });
};

/**
 * Imports approved contributions from CSV (`email,amount,date`, one header line), all or nothing:
 * every row is checked first (the first bad one is named by its line number, the header being line 1),
 * then all rows are written and the chama's totals updated in one transaction.
 */
export async function importContributions(
  deps: Pick<ChamaHubDeps, "db" | "clock" | "people" | "audit">,
  input: { chamaId: string; csv: string; principalId: string; realm: string },
  progress: (done: number, total: number) => Promise<void>,
) {
  const lines = input.csv.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === "") lines.pop();
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.toLowerCase());
  if (header.join(",") !== "email,amount,date") bad(1, "the header must be email,amount,date");
  const dataLines = lines.slice(1);
  if (dataLines.length === 0) bad(2, "no rows");
  if (dataLines.length > maxImportRows) bad(maxImportRows + 2, `more than ${maxImportRows} rows`);
  const total = dataLines.length * 2; // checking, then writing
  await progress(0, total);

  const parsed: Array<{ line: number; email: string; amountCents: number; date: string }> = [];
  for (const [index, text] of dataLines.entries()) {
    const line = index + 2;
    const cells = splitCsvLine(text);
    if (cells.length !== 3) bad(line, `expected 3 columns, found ${cells.length}`);
    const [email = "", amount = "", date = ""] = cells;
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) bad(line, "email is not an email address");
    let amountCents = 0;
    try {
      amountCents = parseCents(amount);
    } catch {
      bad(line, "amount must be KSh with at most 2 decimals");
    }
    if (amountCents <= 0) bad(line, "amount must be more than zero");
    if (!validDate(date)) bad(line, "date must be a real date as YYYY-MM-DD");
    parsed.push({ line, email: email.toLowerCase(), amountCents, date });
    if (line % batchSize === 0) await progress(index + 1, total);
  }

  // Who the emails are: two queries for the whole file.
  const people = await deps.people.findByEmails([...new Set(parsed.map((p) => p.email))]);
  const personByEmail = new Map(people.map((p) => [p.email.toLowerCase(), p.id]));
  const memberRows = people.length
    ? await deps.db
        .select({ id: members.id, principalId: members.principalId })
        .from(members)
        .where(
          and(
            eq(members.chamaId, input.chamaId),
            eq(members.active, true),
            inArray(
              members.principalId,
              people.map((p) => p.id),
            ),
          ),
        )
    : [];
  const memberByPrincipal = new Map(memberRows.map((m) => [m.principalId, m.id]));
  const memberIds = parsed.map((p) => {
    const principalId = personByEmail.get(p.email);
    const memberId = principalId && memberByPrincipal.get(principalId);
    return memberId || bad(p.line, "no active member of this chama has that email");
  });
  await progress(dataLines.length, total);

  const now = deps.clock.now();
  const sum = parsed.reduce((acc, p) => acc + p.amountCents, 0);
  await deps.db.transaction(async (tx) => {
    for (let start = 0; start < parsed.length; start += batchSize) {
      await tx.insert(contributions).values(
        parsed.slice(start, start + batchSize).map((p, i) => ({
          id: randomUUID(),
          chamaId: input.chamaId,
          memberId: memberIds[start + i] as string,
          amountCents: p.amountCents,
          date: p.date,
          status: "approved",
          recordedBy: input.principalId,
          createdAt: now,
          decidedBy: input.principalId,
          decidedAt: now,
        })),
      );
    }
    await tx
      .update(chamas)
      .set({
        totalContributionsCents: sql`${chamas.totalContributionsCents} + ${sum}`,
        availableBalanceCents: sql`${chamas.availableBalanceCents} + ${sum}`,
        approvedContributions: sql`${chamas.approvedContributions} + ${parsed.length}`,
        version: sql`${chamas.version} + 1`,
      })
      .where(eq(chamas.id, input.chamaId));
  });
  await progress(total, total);
  await recordChange(
    deps,
    null,
    { realm: input.realm, principalId: input.principalId },
    "chama_contributions_imported",
    {
      chamaId: input.chamaId,
      rows: parsed.length,
      totalCents: sum,
    },
  );
  return { imported: parsed.length, totalCents: sum };
}
