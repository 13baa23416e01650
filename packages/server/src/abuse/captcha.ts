import { createHash, createHmac } from "node:crypto";
import type { CaptchaVerifier, Clock, ThrottleStore } from "@gatehouse/core";
import { type Challenge, createChallenge, randomInt, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { z } from "zod";

export interface CaptchaSettings {
  /** PBKDF2 iterations per guess: the work a client does for each counter it tries. */
  cost: number;
  /** The secret counter is drawn from [maxCounter / 2, maxCounter]; the client tries them in order. */
  maxCounter: number;
  ttlSeconds: number;
}

/** What a client sends back as `captcha`: base64 of the JSON `{ challenge, solution }` (the ALTCHA v2 payload). */
const payloadSchema = z.object({
  challenge: z.object({
    parameters: z
      .object({
        algorithm: z.string(),
        nonce: z.string(),
        salt: z.string(),
        cost: z.number(),
        keyLength: z.number(),
        keyPrefix: z.string(),
      })
      .loose(),
    signature: z.string().max(256),
  }),
  solution: z.object({ counter: z.number().int().nonnegative(), derivedKey: z.string().max(256) }),
});

export const maxCaptchaPayloadLength = 8192;

/**
 * Self-hosted proof-of-work CAPTCHA (ALTCHA, no third-party service). Challenges are signed with keys
 * derived from SESSION_SECRET, expire on the injected clock, and verify once: altcha-lib would accept a
 * solved challenge again and again, so each verified signature is claimed in the throttle store.
 */
export class AltchaCaptcha implements CaptchaVerifier {
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;

  constructor(
    private readonly deps: { store: ThrottleStore; clock: Clock; settings: CaptchaSettings },
    sessionSecret: string,
  ) {
    const derive = (purpose: string) => createHmac("sha256", sessionSecret).update(purpose).digest("hex");
    this.signatureSecret = derive("gatehouse:captcha-signature:v1");
    this.keySignatureSecret = derive("gatehouse:captcha-key-signature:v1");
  }

  async challenge(): Promise<Challenge & { expiresAt: string }> {
    const { settings, clock } = this.deps;
    const expiresAt = new Date(clock.now().getTime() + settings.ttlSeconds * 1000);
    const challenge = await createChallenge({
      algorithm: "PBKDF2/SHA-256",
      cost: settings.cost,
      counter: randomInt(settings.maxCounter, Math.floor(settings.maxCounter / 2)),
      deriveKey,
      // Our own signed expiry (altcha-lib's `expiresAt` is checked against the wall clock, not ours).
      data: { exp: Math.floor(expiresAt.getTime() / 1000) },
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
    });
    return { ...challenge, expiresAt: expiresAt.toISOString() };
  }

  async verify(solution: string): Promise<boolean> {
    if (solution.length > maxCaptchaPayloadLength) return false;
    const payload = decode(solution);
    if (!payload) return false;
    const now = this.deps.clock.now();
    let verified = false;
    try {
      const result = await verifySolution({
        challenge: payload.challenge as unknown as Challenge,
        solution: payload.solution,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
      verified = result.verified;
    } catch {
      return false; // malformed parameters (unknown algorithm, bad hex): not a solution
    }
    const exp = payload.challenge.parameters.data;
    const expiresAtSeconds = typeof exp === "object" && exp !== null ? (exp as { exp?: unknown }).exp : undefined;
    if (!verified || typeof expiresAtSeconds !== "number" || expiresAtSeconds * 1000 <= now.getTime()) return false;
    const key = `captcha:${createHash("sha256").update(payload.challenge.signature).digest("base64url")}`;
    return this.deps.store.claimOnce(key, now, new Date(expiresAtSeconds * 1000));
  }
}

function decode(solution: string): z.infer<typeof payloadSchema> | null {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(solution, "base64").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
