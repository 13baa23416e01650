import { and, eq } from "drizzle-orm";
import { chamas, members } from "../db/schema.ts";
import type { ChamaHubDeps } from "../ports.ts";

/**
 * Mails every active member of every active chama (or of one chama, on demand) a reminder to
 * contribute. Two queries whatever the number of members, then one mail each.
 */
export async function sendReminders(
  deps: Pick<ChamaHubDeps, "db" | "people" | "mailer" | "publicOrigin">,
  options: { chamaId?: string | undefined; progress?: (done: number, total: number) => Promise<void> } = {},
) {
  const rows = await deps.db
    .select({ principalId: members.principalId, chamaName: chamas.name })
    .from(members)
    .innerJoin(chamas, eq(chamas.id, members.chamaId))
    .where(
      and(
        eq(members.active, true),
        eq(chamas.active, true),
        options.chamaId ? eq(chamas.id, options.chamaId) : undefined,
      ),
    );
  const people = await deps.people.byIds([...new Set(rows.map((r) => r.principalId))]);
  let sent = 0;
  for (const row of rows) {
    const person = people.get(row.principalId);
    if (!person) continue;
    await deps.mailer.send({
      to: person.email,
      subject: `Contribution reminder: ${row.chamaName}`,
      text: `Hello ${person.displayName ?? person.email},\n\nThis is your weekly reminder to record your contribution to ${row.chamaName}.\n\n${deps.publicOrigin}/\n`,
    });
    sent++;
    if (options.progress && sent % 100 === 0) await options.progress(sent, rows.length);
  }
  return { sent };
}
