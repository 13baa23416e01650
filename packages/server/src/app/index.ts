import type { ChamaHub } from "@gatehouse/chamahub";
import { type AccountDeps, accountUseCases } from "./accounts.ts";
import { type AdminDeps, adminUseCases } from "./admin.ts";
import { type CodeDeps, codeUseCases } from "./codes.ts";
import { type OwnSessionDeps, ownSessionUseCases } from "./own-sessions.ts";
import { type PasswordDeps, passwordUseCases } from "./passwords.ts";
import { type SignInDeps, signInUseCases } from "./sign-in.ts";
import { type SystemDeps, systemUseCases } from "./system.ts";

export { AuditRecorder } from "./audit-recorder.ts";
export type { Actor, RequestMeta } from "./request-meta.ts";
export { actorName, cliMeta } from "./request-meta.ts";

export type UseCaseDeps = SignInDeps &
  CodeDeps &
  PasswordDeps &
  OwnSessionDeps &
  AdminDeps &
  AccountDeps &
  SystemDeps & {
    /** The ChamaHub domain package's use cases (packages/chamahub), wired at boot (chamahub-plugin.ts). */
    chamaHub: ChamaHub;
  };

/**
 * The application layer: every use case owns its rules (throttle → act → count failure → audit) and
 * gets only the services it needs. Routes and the CLI call these; neither touches a store.
 */
export function buildUseCases(deps: UseCaseDeps) {
  return {
    ...signInUseCases(deps),
    ...codeUseCases(deps),
    ...passwordUseCases(deps),
    ...ownSessionUseCases(deps),
    ...accountUseCases(deps),
    admin: adminUseCases(deps),
    system: systemUseCases(deps),
    chamaHub: deps.chamaHub,
  };
}

export type UseCases = ReturnType<typeof buildUseCases>;
