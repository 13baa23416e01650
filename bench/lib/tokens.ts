import { createHash } from "node:crypto";

/**
 * Deterministic session tokens for the bulk-inserted tables (1M rows): token `i` is
 * `<id>.<secret>` with id = base64url(md5("gh-bench-id:" + i)) (16 bytes, 22 chars) and
 * secret = base64url(sha256("gh-bench-secret:" + i)) (32 bytes, 43 chars) — the exact shape core's
 * `issueToken` produces — and the row stores sha256(secret) in hex, as core's `hashSecret` does.
 * `bulkSessionsSql` computes the same values in SQL, so the load generator can present row `i`
 * without the harness ever holding a million tokens.
 */
export function benchToken(i: number): string {
  const id = createHash("md5").update(`gh-bench-id:${i}`).digest("base64url");
  const secret = createHash("sha256").update(`gh-bench-secret:${i}`).digest("base64url");
  return `${id}.${secret}`;
}

/** SQL expressions (PostgreSQL ≥ 11) for the id and the secret hash of row `i` (an int8 column named `i`). */
const b64url = (bytes: string) => `rtrim(translate(encode(${bytes}, 'base64'), '+/', '-_'), '=')`;
export const sqlTokenId = b64url(`decode(md5('gh-bench-id:' || i), 'hex')`);
export const sqlSecretHash = `encode(sha256(convert_to(${b64url(`sha256(convert_to('gh-bench-secret:' || i, 'UTF8'))`)}, 'UTF8')), 'hex')`;
