/**
 * Who is asking, as plain data: the application layer never sees an HTTP request. Routes build it
 * with `requestMeta(request)` (http/request-meta.ts); the CLI with `cliMeta`.
 */
export interface RequestMeta {
  /** The client address (through trusted proxies only), as kept on sessions and in the audit log. */
  ip: string | null;
  /** The client's throttle key: the address, IPv6 grouped by /64 (abuse/client-ip.ts). */
  throttleIp: string | null;
  userAgent: string | null;
}

/** The signed-in principal acting (its session), for "mine" checks and the audit log's `actor`. */
export interface Actor {
  realm: string;
  principalId: string;
  sessionId: string;
}

/** `realm:principalId` — who did something, as recorded in the audit log's `actor`. */
export function actorName(actor: { realm: string; principalId: string }): string {
  return `${actor.realm}:${actor.principalId}`;
}

/** Work started from the command line: no address, no browser. */
export const cliMeta: RequestMeta = { ip: null, throttleIp: null, userAgent: "gatehouse-cli" };
