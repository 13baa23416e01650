import { elsewhereRows } from "./elsewhere-rows.ts";
import type { Row } from "./harness.ts";
import { loginBodyRows } from "./login-body-rows.ts";
import { loginFieldRows } from "./login-field-rows.ts";
import { sessionLogoutRows } from "./session-logout-rows.ts";
import { signedInRows } from "./signed-in-rows.ts";
import { signupRows } from "./signup-rows.ts";

function rowsFor(realm: "user" | "admin"): Row[] {
  return [...loginBodyRows(realm), ...loginFieldRows(realm), ...sessionLogoutRows(realm)].map((row) => ({
    ...row,
    name: `${realm}: ${row.name}`,
  }));
}

/** Every row, in the order they run. Build it only after `setUp`: rows carry the live tokens. */
export const rows = (): Row[] => [
  ...rowsFor("user"),
  ...rowsFor("admin"),
  ...signupRows(),
  ...elsewhereRows(),
  ...signedInRows(),
];
