import type { PeopleDirectory, Person } from "@gatehouse/chamahub";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { principals } from "../db/schema/index.ts";

const columns = { id: principals.id, email: principals.email, displayName: principals.displayName };

/**
 * ChamaHub's read-only view of one realm's accounts (enabled ones only): each method is one query,
 * so a list that shows members' names costs one query whatever its length.
 */
export class PgPeopleDirectory implements PeopleDirectory {
  constructor(
    private readonly db: Db,
    private readonly realm: string,
  ) {}

  async findByEmail(email: string): Promise<Person | null> {
    const [row] = await this.db
      .select(columns)
      .from(principals)
      .where(
        and(
          eq(principals.realm, this.realm),
          eq(principals.email, email.trim().toLowerCase()),
          isNull(principals.disabledAt),
        ),
      );
    return row ?? null;
  }

  async findByEmails(emails: readonly string[]): Promise<Person[]> {
    if (emails.length === 0) return [];
    return this.db
      .select(columns)
      .from(principals)
      .where(
        and(
          eq(principals.realm, this.realm),
          inArray(
            principals.email,
            emails.map((e) => e.trim().toLowerCase()),
          ),
          isNull(principals.disabledAt),
        ),
      );
  }

  async byIds(ids: readonly string[]): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .select(columns)
      .from(principals)
      .where(and(eq(principals.realm, this.realm), inArray(principals.id, [...ids])));
    return new Map(rows.map((row) => [row.id, row]));
  }
}
