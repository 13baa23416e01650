import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under a key derived from SESSION_SECRET,
 * so a database dump alone does not yield working authenticator seeds. Format: `v1.<iv>.<ciphertext+tag>`.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = createHash("sha256").update(`gatehouse:secret-box:${sessionSecret}`).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString("base64url")}.${body.toString("base64url")}`;
  }

  open(sealed: string): string {
    const [version, ivText, bodyText] = sealed.split(".");
    if (version !== "v1" || !ivText || !bodyText) throw new Error("Unknown sealed-secret format");
    const body = Buffer.from(bodyText, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(ivText, "base64url"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  }
}
