import type { Caller, ChamaHubDeps, RequestInfo } from "./ports.ts";

/** Every audit event type ChamaHub records; registered in the host's registry at boot (plugin.ts). */
export const chamaEventTypes = [
  "chama_created",
  "chama_updated",
  "chama_deactivated",
  "chama_activated",
  "chama_member_added",
  "chama_member_role_changed",
  "chama_member_removed",
  "chama_contribution_recorded",
  "chama_contributions_decided",
  "chama_contributions_imported",
  "chama_loan_requested",
  "chama_loan_decided",
  "chama_loan_disbursed",
  "chama_loan_repayment",
  "chama_interest_applied",
  "chama_job_started",
] as const;
export type ChamaEventType = (typeof chamaEventTypes)[number];

/** Records one change by a caller (user or admin), naming the chama in the details. */
export function recordChange(
  deps: Pick<ChamaHubDeps, "audit">,
  meta: RequestInfo | null,
  caller: Caller | null,
  type: ChamaEventType,
  details: Record<string, unknown>,
): Promise<void> {
  return deps.audit.record(meta, {
    type,
    realm: caller?.realm ?? null,
    principalId: caller?.principalId ?? null,
    actor: caller ? `${caller.realm}:${caller.principalId}` : "chamahub-job",
    details,
  });
}
