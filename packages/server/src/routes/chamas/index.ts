import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../../http/context.ts";
import { registerAdminGetChama } from "../admin/get-chama.ts";
import { registerAdminJobs } from "../admin/jobs.ts";
import { registerAdminListChamas } from "../admin/list-chamas.ts";
import { registerAdminSetChamaActive } from "../admin/set-chama-active.ts";
import { registerChamaStatistics } from "./chama-statistics.ts";
import { registerChangeMemberRole } from "./change-member-role.ts";
import { registerCreateChama } from "./create-chama.ts";
import { registerDecideContributions } from "./decide-contributions.ts";
import { registerDecideLoan } from "./decide-loan.ts";
import { registerDisburseLoan } from "./disburse-loan.ts";
import { registerGetChama } from "./get-chama.ts";
import { registerGetJob } from "./get-job.ts";
import { registerImportContributions } from "./import-contributions.ts";
import { registerInviteMember } from "./invite-member.ts";
import { registerListChamas } from "./list-chamas.ts";
import { registerListContributions } from "./list-contributions.ts";
import { registerListLoans } from "./list-loans.ts";
import { registerListMembers } from "./list-members.ts";
import { registerLoanSchedule } from "./loan-schedule.ts";
import { registerRecordContribution } from "./record-contribution.ts";
import { registerRemoveMember } from "./remove-member.ts";
import { registerRepayLoan } from "./repay-loan.ts";
import { registerRequestLoan } from "./request-loan.ts";
import { registerSendReminders } from "./send-reminders.ts";
import { registerUpdateChama } from "./update-chama.ts";

/**
 * ChamaHub's HTTP API: /api/chamas… and /api/jobs/{id} for members (user-realm session, CSRF on
 * unsafe methods, object-level checks in the use cases), /api/admin/chamas… and /api/admin/jobs… for
 * admins with chamas.read, chamas.manage or jobs.read.
 */
export function registerChamaHubApi(app: FastifyInstance, ctx: RouteContext): void {
  const realm = ctx.realms.find("user") ?? ctx.realms.all().find((r) => !r.adminApi);
  if (realm) {
    for (const register of [
      registerListChamas,
      registerCreateChama,
      registerGetChama,
      registerUpdateChama,
      registerChamaStatistics,
      registerListMembers,
      registerInviteMember,
      registerChangeMemberRole,
      registerRemoveMember,
      registerListContributions,
      registerRecordContribution,
      registerDecideContributions,
      registerImportContributions,
      registerSendReminders,
      registerListLoans,
      registerRequestLoan,
      registerDecideLoan,
      registerDisburseLoan,
      registerRepayLoan,
      registerLoanSchedule,
      registerGetJob,
    ]) {
      register(app, ctx, { realm });
    }
  }
  const [adminRealm] = ctx.realms.adminRealms();
  if (adminRealm) {
    for (const register of [
      registerAdminListChamas,
      registerAdminGetChama,
      registerAdminSetChamaActive,
      registerAdminJobs,
    ]) {
      register(app, ctx, { realm: adminRealm });
    }
  }
}
