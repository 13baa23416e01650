import type { RealmPolicy, SessionRecord } from "@gatehouse/core";
import type { FastifyReply } from "fastify";
import type { CookiePolicy } from "../config.ts";

/**
 * One cookie per realm. `__Host-` (Secure, Path=/, no Domain) whenever the public URL is https or
 * localhost; plain names only when plain http was explicitly allowed.
 */
export function sessionCookieName(realm: RealmPolicy, policy: CookiePolicy): string {
  return policy.secure ? `__Host-${realm.name}_session` : `${realm.name}_session`;
}

function baseOptions(realm: RealmPolicy, policy: CookiePolicy) {
  return { path: "/", httpOnly: true, secure: policy.secure, sameSite: realm.cookieSameSite } as const;
}

/** A browser-session cookie unless remember-me was chosen; then it lives as long as the session may. */
export function setSessionCookie(
  reply: FastifyReply,
  realm: RealmPolicy,
  policy: CookiePolicy,
  token: string,
  session: SessionRecord,
  now: Date,
): void {
  const options = session.rememberMe
    ? {
        ...baseOptions(realm, policy),
        maxAge: Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000)),
      }
    : baseOptions(realm, policy);
  reply.setCookie(sessionCookieName(realm, policy), token, options);
}

/** Clears this realm's cookie only. Never Clear-Site-Data: it would wipe the other realm too. */
export function clearSessionCookie(reply: FastifyReply, realm: RealmPolicy, policy: CookiePolicy): void {
  reply.clearCookie(sessionCookieName(realm, policy), baseOptions(realm, policy));
}
