import { createHash, timingSafeEqual } from "node:crypto";
import type { RandomSource } from "./ports.ts";

/** 16 random bytes: the lookup key. Not secret, but unguessable so ids cannot be enumerated. */
const idBytes = 16;
/** 32 random bytes = 256 bits: the part that proves possession. Only its SHA-256 is stored. */
const secretBytes = 32;

/** Unpadded base64url lengths of the two parts. */
const idLength = Math.ceil((idBytes * 4) / 3);
const secretLength = Math.ceil((secretBytes * 4) / 3);

/**
 * The one definition of a token's format: `<id>.<secret>`, both unpadded base64url of exactly the
 * lengths above (groups 1 and 2). `parseToken` and the HTTP guard's token-in-URL check both use it.
 */
export const tokenPattern = new RegExp(`^([A-Za-z0-9_-]{${idLength}})\\.([A-Za-z0-9_-]{${secretLength}})$`);

/**
 * A token's shape without anchors or groups, to find one inside longer text (a URL path, an error
 * message) and redact it. Derived from the same lengths as `parseToken`, so the two cannot drift.
 */
export const tokenShape = `[A-Za-z0-9_-]{${idLength}}\\.[A-Za-z0-9_-]{${secretLength}}`;
/** A bare secret's length (a token's second half; reset tokens are the same 32 random bytes). */
export const secretShapeLength = secretLength;

/** The longest string that can possibly be a token; anything longer is refused before any lookup. */
export const maxTokenLength = idLength + 1 + secretLength;

export interface IssuedToken {
  /** `<id>.<secret>`: what the browser holds. Never stored, logged or put in a URL. */
  token: string;
  id: string;
  secretHash: string;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A fresh `<id>.<secret>` token and the hash to store. */
export function issueToken(random: RandomSource): IssuedToken {
  const id = base64url(random.bytes(idBytes));
  const secret = base64url(random.bytes(secretBytes));
  return { token: `${id}.${secret}`, id, secretHash: hashSecret(secret) };
}

/** Splits a presented token after checking its exact format; null for anything else. */
export function parseToken(presented: string | undefined): { id: string; secret: string } | null {
  if (typeof presented !== "string" || presented.length !== maxTokenLength) return null;
  const match = tokenPattern.exec(presented);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], secret: match[2] };
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** A stable, non-reversible reference to a session id for audit events and logs. */
export function hashSessionId(id: string): string {
  return createHash("sha256").update(`session-id:${id}`, "utf8").digest("hex").slice(0, 32);
}
