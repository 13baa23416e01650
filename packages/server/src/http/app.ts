import cookie from "@fastify/cookie";
import { hashSessionId } from "@gatehouse/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { clientIp } from "../abuse/client-ip.ts";
import { registerAdminApi } from "../routes/admin/index.ts";
import { registerLogin } from "../routes/auth/login.ts";
import { registerLogout } from "../routes/auth/logout.ts";
import { registerOtpRequest } from "../routes/auth/otp-request.ts";
import { registerOtpVerify } from "../routes/auth/otp-verify.ts";
import { registerChangePassword } from "../routes/auth/password.ts";
import { registerRequestPasswordReset } from "../routes/auth/password-reset.ts";
import { registerConfirmPasswordReset } from "../routes/auth/password-reset-confirm.ts";
import { registerSession } from "../routes/auth/session.ts";
import { registerSignup } from "../routes/auth/signup.ts";
import { registerVerify } from "../routes/auth/verify.ts";
import { registerChamaHubApi } from "../routes/chamas/index.ts";
import { registerCronCleanup } from "../routes/cron/cleanup-sessions.ts";
import { registerCaptcha } from "../routes/public/captcha.ts";
import { registerOtpSettings } from "../routes/public/otp-settings.ts";
import { registerTotpConfirm } from "../routes/second-factor/confirm.ts";
import { registerTotpDisable } from "../routes/second-factor/disable.ts";
import { registerTotpEnrol } from "../routes/second-factor/enrol.ts";
import { registerReauthenticate } from "../routes/second-factor/reauthenticate.ts";
import { registerTotpStatus } from "../routes/second-factor/status.ts";
import { registerTotpVerify } from "../routes/second-factor/verify.ts";
import { registerListSessions } from "../routes/sessions/list.ts";
import { registerRevokeSession } from "../routes/sessions/revoke.ts";
import { registerRevokeOtherSessions } from "../routes/sessions/revoke-others.ts";
import { registerHealthz } from "../routes/system/healthz.ts";
import { registerMetrics } from "../routes/system/metrics.ts";
import { registerPages } from "../routes/system/pages.ts";
import { registerReadyz } from "../routes/system/readyz.ts";
import { findWebRoot, registerWebApp, spaFallback } from "../routes/system/web-app.ts";
import { registerAbuseEvents } from "./abuse-events.ts";
import type { AppContext } from "./context.ts";
import { sessionCookieName } from "./cookies.ts";
import { registerCrossSiteGuard } from "./cross-site-guard.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { frameworkErrorHandler, registerClientErrorHandler } from "./framework-errors.ts";
import { registerGuard } from "./guard/index.ts";
import { registerOpenApi } from "./openapi.ts";
import { requestMeta } from "./request-meta.ts";
import { registerRequestMetrics } from "./request-metrics.ts";
import { trackRoutes } from "./route-table.ts";
import { registerSecurityHeaders, securityHeaders } from "./security-headers.ts";
import { serializerCompiler } from "./serializer.ts";

/** Builds the HTTP app from injected services. Never listens: main.ts (or a test) does. */
export async function buildApp(
  ctx: AppContext,
  options: {
    logger: FastifyBaseLogger;
    /** The built web app (apps/web/dist by default); null serves the placeholder pages instead. */
    webRoot?: string | null;
  },
): Promise<FastifyInstance> {
  const webRoot = options.webRoot === null ? undefined : findWebRoot(options.webRoot);
  const headers = securityHeaders(ctx.config.publicUrl);
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: 64 * 1024,
    // X-Forwarded-For is believed only from TRUSTED_PROXIES; otherwise the socket address is the client.
    trustProxy: ctx.config.abuse.trustedProxies.length > 0 ? [...ctx.config.abuse.trustedProxies] : false,
    return503OnClosing: true,
    // Router errors (bad URL, over-long parameter) answer before any hook: our shape and headers.
    frameworkErrors: frameworkErrorHandler(headers),
  });
  // JSON only: a text/plain body is refused with 415 instead of reaching a schema as a string.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  trackRoutes(app);
  registerRequestMetrics(app, ctx.abuse.metrics);
  app.addHook("onClose", async () => {
    await ctx.abuse.close();
    await ctx.sessionBus.close();
  });
  await app.register(cookie);
  await registerSecurityHeaders(app, ctx.config.publicUrl);
  await registerOpenApi(app, { realms: ctx.realms.all(), cookies: ctx.config.cookies });
  registerErrorHandling(app, ctx.realms.names, webRoot ? { pageFallback: spaFallback } : {});
  registerClientErrorHandler(app, headers);
  registerAbuseEvents(app, ctx);
  // Before the session guard: a cross-site request is refused before its cookie is even read.
  registerCrossSiteGuard(app, ctx.config.publicUrl.origin);
  registerGuard(app, {
    sessions: ctx.sessions,
    csrf: ctx.csrf,
    cookies: ctx.config.cookies,
    cookieNames: ctx.realms.all().map((realm) => sessionCookieName(realm, ctx.config.cookies)),
    permissions: ctx.permissions,
    onInvalidToken: (request) => ctx.abuse.throttle.recordInvalidToken(clientIp(request)),
    onValidation: (realm, outcome) => ctx.abuse.metrics.sessionValidations.inc({ realm, outcome }),
    now: () => ctx.clock.now(),
    onRotated: async (request, oldId, newId) => {
      const session = request.auth?.session;
      await ctx.audit.record(requestMeta(request), {
        type: "session_rotated",
        realm: session?.realm ?? null,
        principalId: session?.principalId ?? null,
        sessionId: newId,
        details: { reason: "privilege_change", previousSessionIdHash: hashSessionId(oldId) },
      });
    },
    onStepUpRefused: async (request) => {
      const session = request.auth?.session;
      await ctx.audit.record(requestMeta(request), {
        type: "step_up_refused",
        realm: session?.realm ?? null,
        principalId: session?.principalId ?? null,
        sessionId: session?.id ?? null,
        details: { route: `${request.method} ${request.routeOptions.url ?? ""}` },
      });
    },
  });

  registerHealthz(app);
  registerReadyz(app, ctx);
  if (webRoot) await registerWebApp(app, webRoot);
  else registerPages(app);
  registerMetrics(app, ctx);
  registerOtpSettings(app, ctx);
  registerCaptcha(app, ctx);
  for (const realm of ctx.realms.all()) {
    registerLogin(app, ctx, realm);
    registerLogout(app, ctx, realm);
    registerSession(app, ctx, realm);
    registerVerify(app, ctx, realm);
    if (realm.selfSignup) registerSignup(app, ctx, realm);
    // session lifecycle
    registerListSessions(app, ctx, realm);
    registerRevokeSession(app, ctx, realm);
    registerRevokeOtherSessions(app, ctx, realm);
    registerChangePassword(app, ctx, realm);
    registerRequestPasswordReset(app, ctx, realm);
    registerConfirmPasswordReset(app, ctx, realm);
    if (realm.otpSignIn) {
      registerOtpRequest(app, ctx, realm);
      registerOtpVerify(app, ctx, realm);
    }
    // second factor and step-up
    registerTotpStatus(app, ctx, realm);
    registerTotpEnrol(app, ctx, realm);
    registerTotpConfirm(app, ctx, realm);
    registerTotpVerify(app, ctx, realm);
    registerTotpDisable(app, ctx, realm);
    registerReauthenticate(app, ctx, realm);
  }
  registerAdminApi(app, ctx);
  registerChamaHubApi(app, ctx);
  registerCronCleanup(app, ctx);
  return app;
}
