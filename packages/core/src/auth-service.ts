import { GatehouseError } from "./errors.ts";
import { type CommonPasswordCheck, checkPassword } from "./password-policy.ts";
import { type Clock, type PasswordHasher, type RandomSource, randomUuid } from "./ports.ts";
import { normalizeEmail, type Principal, type PrincipalStore } from "./principals.ts";
import type { RealmRegistry } from "./realms.ts";
import type { CreatedSession, SessionContext, SessionService } from "./session-service.ts";
import type { SessionStage } from "./session-store.ts";

export interface SignInResult extends CreatedSession {
  principal: Principal;
  /** The session this browser held in the realm before signing in, now ended. */
  replacedSessionId: string | null;
}

export interface AuthServiceDeps {
  principals: PrincipalStore;
  sessions: SessionService;
  hasher: PasswordHasher;
  realms: RealmRegistry;
  clock: Clock;
  random: RandomSource;
  /** Refuses passwords from a common-password list (wired by the server); none = length rules only. */
  isCommonPassword?: CommonPasswordCheck;
  /**
   * How far a sign-in goes once its first factor checked out (a second factor due, enrolment first);
   * `full` when absent.
   */
  stageFor?: (principal: Principal) => Promise<SessionStage>;
}

/** Password sign-in and sign-up for any realm. */
export class AuthService {
  /** Verified against when the email is unknown, so both failures cost one argon2 verification. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AuthServiceDeps) {}

  /** The password policy with the configured common-password list; for every place a password is set. */
  checkPassword(password: string): Promise<void> {
    return checkPassword(password, this.deps.isCommonPassword);
  }

  async createPrincipal(
    realmName: string,
    input: { email: string; password: string; displayName?: string | null },
  ): Promise<Principal> {
    const realm = this.deps.realms.get(realmName);
    await this.checkPassword(input.password);
    return this.deps.principals.insert({
      id: randomUuid(this.deps.random),
      realm: realm.name,
      email: normalizeEmail(input.email),
      displayName: input.displayName ?? null,
      passwordHash: await this.deps.hasher.hash(input.password),
      createdAt: this.deps.clock.now(),
    });
  }

  /**
   * Checks credentials and starts a session. Unknown email, wrong password and a disabled account
   * give the same error after the same work. The realm's previous session in this browser ends
   * (a new token on every sign-in: no fixation).
   */
  async login(
    realmName: string,
    input: { email: string; password: string; rememberMe?: boolean; previousToken?: string | undefined },
    context: SessionContext,
  ): Promise<SignInResult> {
    const principal = await this.deps.principals.findByEmail(realmName, normalizeEmail(input.email));
    const hash = principal?.passwordHash ?? (await this.getDummyHash());
    const passwordOk = await this.deps.hasher.verify(hash, input.password);
    if (!principal?.passwordHash || !passwordOk || principal.disabledAt) {
      throw new GatehouseError("invalid_credentials");
    }
    return this.startSession(realmName, principal, input, context);
  }

  /** Starts a session for an already-authenticated principal (sign-up, later one-time codes). */
  async startSession(
    realmName: string,
    principal: Principal,
    input: { rememberMe?: boolean; previousToken?: string | undefined },
    context: SessionContext,
  ): Promise<SignInResult> {
    const replacedSessionId = await this.endPreviousSession(realmName, input.previousToken);
    const stage = (await this.deps.stageFor?.(principal)) ?? "full";
    const created = await this.deps.sessions.create(realmName, principal.id, {
      ...context,
      rememberMe: input.rememberMe ?? false,
      stage,
    });
    // An account disabled, or a password changed or reset, while this sign-in ran must not keep the new
    // session. Those mark the account first (disabledAt, credentialsVersion), then end its sessions;
    // reading the marks after our insert means that either we see them here, or their revocation sees
    // our session. `principal` is the record the credentials were checked against.
    const current = await this.deps.principals.findById(realmName, principal.id);
    if (!current || current.disabledAt || current.credentialsVersion !== principal.credentialsVersion) {
      await this.deps.sessions.revoke(created.session.id);
      throw new GatehouseError("invalid_credentials");
    }
    return { ...created, principal, replacedSessionId };
  }

  private async endPreviousSession(realmName: string, previousToken: string | undefined): Promise<string | null> {
    // Only a token that verifies is ended: a bare id from a cookie proves nothing.
    const previous = await this.deps.sessions.validate(realmName, previousToken, { passive: true });
    if (!previous.ok) return null;
    await this.deps.sessions.revoke(previous.session.id);
    return previous.session.id;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash(Buffer.from(this.deps.random.bytes(24)).toString("base64url"));
    return this.dummyHash;
  }
}
