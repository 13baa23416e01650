// ChamaHub's public API: what the host server wires and registers at boot.

export { chamaHubMigrations } from "./db/migrations.ts";
export { chamaSchema } from "./db/schema.ts";
export { hasChamas, seedDemoChamas } from "./demo.ts";
export { chamaEventTypes } from "./events.ts";
export { maxImportRows } from "./jobs/import.ts";
export { formatCents, parseCents } from "./money.ts";
export { type ChamaHub, chamaPermissions, createChamaHub } from "./plugin.ts";
export type { Caller, ChamaAudit, ChamaDb, ChamaHubDeps, PeopleDirectory, Person, RequestInfo } from "./ports.ts";
export {
  type ContributionStatus,
  contributionStatuses,
  type LoanStatus,
  loanStatuses,
  type Role,
  roles,
} from "./rules.ts";
