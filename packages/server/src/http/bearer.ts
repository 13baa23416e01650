import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * True when an Authorization header is `Bearer <expected>`. The scheme is case-insensitive (RFC 9110
 * §11.1: `bearer` is as good as `Bearer`). The values are compared as SHA-256 digests in constant
 * time: equal-length inputs whatever was sent, so the timing tells neither the secret nor its length.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = /^bearer +(\S+) *$/i.exec(header ?? "")?.[1];
  // Always compare, even without a bearer value, so a malformed header takes the same time.
  const equal = timingSafeEqual(digest(presented ?? ""), digest(expected));
  return equal && presented !== undefined;
}
