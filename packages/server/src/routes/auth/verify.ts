import { GatehouseError, type RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { clearSessionCookie } from "../../http/cookies.ts";
import { authenticatedResponse, commonErrors } from "../../http/schemas.ts";
import { authenticatedBody } from "./respond.ts";

/**
 * The headers a forward-auth answer carries to the proxied app (docs/forward-auth.md). A proxy must
 * overwrite every one of them on the request it passes upstream, so a client can never send its own.
 */
export const forwardAuthHeaders = {
  principalId: "x-gatehouse-principal-id",
  realm: "x-gatehouse-realm",
  email: "x-gatehouse-email",
  /** The hash of the session id, as the audit log records it: never the token, never the id itself. */
  sessionId: "x-gatehouse-session-id",
  /** The session's CSRF token, for an app that renders pages making unsafe requests through the proxy. */
  csrfToken: "x-gatehouse-csrf-token",
} as const;

/** Printable ASCII as it is; anything else percent-encoded (the API's email validation admits none). */
const headerSafe = (value: string) => (/^[\x21-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

/**
 * GET /api/{realm}/auth/verify: forward auth for nginx `auth_request`, Traefik `ForwardAuth`, Caddy
 * `forward_auth` and @gatehouse/node. The session guard does the work (this realm's cookie only,
 * activity unless passive, CSRF and cross-site checks on an unsafe `X-Forwarded-Method`): 200 with the
 * principal in headers (and the session body), or the guard's 401/403 with an error code.
 */
export function registerVerify(app: FastifyInstance, ctx: RouteContext, realm: RealmPolicy): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: `/api/${realm.name}/auth/verify`,
    config: { gatehouse: { realm, auth: "required", passiveCheck: true, forwardAuth: true } },
    schema: {
      tags: [realm.name],
      summary: `Forward auth: is the request a reverse proxy forwards signed in to the ${realm.name} realm?`,
      description:
        "For nginx auth_request, Traefik ForwardAuth and Caddy forward_auth (docs/forward-auth.md). " +
        "200 carries the principal in X-Gatehouse-Principal-Id, -Realm, -Email, -Session-Id (a hash) and " +
        "-Csrf-Token; 401 says why. When X-Forwarded-Method is unsafe, the forwarded X-CSRF-Token must " +
        "be the session's and Origin/Sec-Fetch-Site same-origin (403 otherwise). Counts as activity " +
        "unless ?passive=true or X-Gatehouse-Passive: true.",
      operationId: `${realm.name}VerifySession`,
      querystring: z.strictObject({ passive: z.enum(["true", "false"]).optional() }),
      // Documentation of what a proxy sends; the guard reads them (any value is accepted here).
      headers: z.object({
        "x-forwarded-method": z
          .string()
          .optional()
          .describe("The proxied request's method; anything but GET, HEAD, OPTIONS needs X-CSRF-Token"),
        "x-csrf-token": z.string().optional().describe("The proxied request's CSRF token (unsafe methods)"),
        "x-gatehouse-passive": z.string().optional().describe("`true`: a background check, not activity"),
      }),
      response: { 200: authenticatedResponse, ...commonErrors },
    },
    handler: async (request, reply) => {
      const { session } = request.auth as NonNullable<typeof request.auth>;
      const identity = await ctx.useCases.identifyForwardedRequest(session).catch((error: unknown) => {
        // The account is gone or disabled (its session just ended): clear this realm's cookie.
        if (error instanceof GatehouseError && error.code === "not_authenticated") {
          clearSessionCookie(reply, realm, ctx.config.cookies);
        }
        throw error;
      });
      const body = authenticatedBody(ctx, identity.principal, identity.session);
      reply.headers({
        [forwardAuthHeaders.principalId]: identity.principal.id,
        [forwardAuthHeaders.realm]: identity.principal.realm,
        [forwardAuthHeaders.email]: headerSafe(identity.principal.email),
        [forwardAuthHeaders.sessionId]: identity.sessionIdHash,
        [forwardAuthHeaders.csrfToken]: body.csrfToken,
      });
      return body;
    },
  });
}
