import type { Permission, Principal, RealmPolicy, SessionRecord, SessionStage } from "@gatehouse/core";

/**
 * What every route declares in its own definition (`config.gatehouse`): which realm's cookie it may
 * read, whether a session is required, and whether unsafe methods need the CSRF token.
 */
export interface RouteMeta {
  /** The realm whose cookie this route reads; absent for sessionless routes, which never read a cookie. */
  realm?: RealmPolicy;
  auth: "none" | "optional" | "required";
  /** Whether `?passive=true` (a background status check) is allowed and not counted as activity. */
  passiveCheck?: boolean;
  /**
   * The permission the route needs (admin routes). Checked by the session guard through
   * `ctx.permissions` after the session and CSRF token, so a handler never runs without it.
   */
  permission?: Permission;
  /**
   * A forward-auth route (`GET /api/{realm}/auth/verify`): a reverse proxy asks it about another
   * request, so the CSRF and cross-site checks judge the method in `X-Forwarded-Method`, not this GET
   * (http/unsafe-request.ts).
   */
  forwardAuth?: boolean;
  /** Unfinished sign-ins this route admits besides `full` sessions (guard/stage-check.ts). */
  stages?: readonly SessionStage[];
  /** A sensitive action: needs a proof of identity within the last 5 minutes (guard/step-up.ts). */
  stepUp?: boolean;
}

export interface AuthContext {
  realm: RealmPolicy;
  session: SessionRecord;
  /** The raw token from the cookie, kept only in memory for this request. */
  token: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    gatehouse?: RouteMeta;
  }
  interface FastifyRequest {
    /** Set by the session guard when the route's realm cookie holds a valid session. */
    auth: AuthContext | null;
    /** Loaded on demand by handlers that need more than the session. */
    principal?: Principal;
  }
}
