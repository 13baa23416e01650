import type { ChamaHub } from "@gatehouse/chamahub";
import { type AccountDeps, accountUseCases } from "./accounts.ts";
import { type AdminDeps, adminUseCases } from "./admin.ts";
import { type CodeDeps, codeUseCases } from "./codes.ts";
import { type ForwardAuthDeps, forwardAuthUseCases } from "./forward-auth.ts";
import { type OwnSessionDeps, ownSessionUseCases } from "./own-sessions.ts";
import { type PasswordDeps, passwordUseCases } from "./passwords.ts";
import { type RoleDeps, roleUseCases } from "./roles.ts";
import { type SecondFactorDeps, secondFactorUseCases } from "./second-factor.ts";
import { type SignInDeps, signInUseCases } from "./sign-in.ts";
import { type SystemDeps, systemUseCases } from "./system.ts";

export { AuditRecorder } from "./audit-recorder.ts";
export type { Actor, RequestMeta } from "./request-meta.ts";
export { actorName, cliMeta } from "./request-meta.ts";
export type { Role } from "./roles.ts";
export type { SecondFactorRepository, TotpFactor } from "./second-factor.ts";

export type UseCaseDeps = SignInDeps &
  CodeDeps &
  PasswordDeps &
  OwnSessionDeps &
  ForwardAuthDeps &
  AdminDeps &
  Omit<AccountDeps, "onCreated"> &
  SystemDeps &
  RoleDeps &
  SecondFactorDeps & {
    /** The ChamaHub domain package's use cases (packages/chamahub), wired at boot (chamahub-plugin.ts). */
    chamaHub: ChamaHub;
  };

/**
 * The application layer: every use case owns its rules (throttle → act → count failure → audit) and
 * gets only the services it needs. Routes and the CLI call these; neither touches a store.
 */
export function buildUseCases(deps: UseCaseDeps) {
  const roles = roleUseCases(deps);
  return {
    ...signInUseCases(deps),
    ...codeUseCases(deps),
    ...passwordUseCases(deps),
    ...ownSessionUseCases(deps),
    ...forwardAuthUseCases(deps),
    // The first admin created (CLI, demo seed) becomes owner: someone must be able to grant roles.
    ...accountUseCases({ ...deps, onCreated: roles.grantOwnerIfNone }),
    roles,
    secondFactor: secondFactorUseCases(deps),
    admin: adminUseCases({ ...deps, keepAnOwner: roles.keepAnOwner }),
    system: systemUseCases(deps),
    chamaHub: deps.chamaHub,
  };
}

export type UseCases = ReturnType<typeof buildUseCases>;
