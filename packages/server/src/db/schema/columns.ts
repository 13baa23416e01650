import { timestamp } from "drizzle-orm/pg-core";

/** Every instant is stored as `timestamp with time zone` and read back as a `Date`. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
