import type { FastifyRequest } from "fastify";
import ipaddr from "ipaddr.js";

/**
 * The client address used as a throttle key. `request.ip` already follows X-Forwarded-For only
 * through TRUSTED_PROXIES (Fastify trustProxy). IPv4-mapped IPv6 becomes IPv4; other IPv6 addresses
 * are grouped by /64, the block one subscriber usually gets, so rotating addresses inside it does not help.
 */
export function clientIp(request: FastifyRequest): string | null {
  return throttleAddress(request.ip);
}

/** An address as the throttle keys it (also for `cli throttle clear --ip`). */
export function throttleAddress(raw: string | undefined | null): string | null {
  if (!raw || !ipaddr.isValid(raw)) return raw ?? null;
  const parsed = ipaddr.parse(raw);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
    return `${v6.parts
      .slice(0, 4)
      .map((part) => part.toString(16))
      .join(":")}::/64`;
  }
  return parsed.toString();
}

/** The throttle subject of a request naming an account: the client IP and the normalised email. */
export function throttleSubject(request: FastifyRequest, account: string | null) {
  return { ip: clientIp(request), account };
}
