// The whole database schema, one aggregate per file. Each file imports only the tables it references
// (sessions, reset tokens and OTP codes → principals) and nothing imports this index back. drizzle-kit
// reads this file (drizzle.config.ts), so a new table must be exported here and added to `schema`.
import { otpCodes, singleUseClaims, throttleCounters } from "./abuse.ts";
import { adminRoleGrants, adminRoles, recoveryCodes, totpFactors } from "./admin-access.ts";
import { auditEvents } from "./audit.ts";
import { principals } from "./identity.ts";
import { resetTokens } from "./reset-tokens.ts";
import { sessions } from "./sessions.ts";

export {
  adminRoleGrants,
  adminRoles,
  auditEvents,
  otpCodes,
  principals,
  recoveryCodes,
  resetTokens,
  sessions,
  singleUseClaims,
  throttleCounters,
  totpFactors,
};

export const schema = {
  principals,
  sessions,
  resetTokens,
  auditEvents,
  throttleCounters,
  singleUseClaims,
  otpCodes,
  adminRoles,
  adminRoleGrants,
  totpFactors,
  recoveryCodes,
};
