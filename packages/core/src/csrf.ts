import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * CSRF tokens are an HMAC of the realm and the session id under a server key. They are bound to one
 * session in one realm: a token from another session or realm never verifies, and a rotated session
 * (new id) gets a new token. Nothing is stored, so there is nothing to race on refresh.
 */
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(serverKey: Uint8Array) {
    if (serverKey.length < 32) throw new Error("The CSRF key needs at least 32 bytes");
    this.key = createHmac("sha256", serverKey).update("gatehouse:csrf:v1").digest();
  }

  tokenFor(session: { realm: string; id: string }): string {
    return createHmac("sha256", this.key).update(`${session.realm}\u0000${session.id}`).digest("base64url");
  }

  verify(session: { realm: string; id: string }, presented: string | undefined): boolean {
    if (typeof presented !== "string" || presented.length > 128) return false;
    const expected = Buffer.from(this.tokenFor(session));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
