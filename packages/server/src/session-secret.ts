import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config.ts";

/**
 * The configured SESSION_SECRET, or on the embedded default one generated once and kept in the data
 * dir (mode 0600), so sessions and CSRF tokens survive restarts without any set-up.
 */
export function resolveSessionSecret(config: Readonly<Config>): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, "session-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

/** The secret a previous start generated into the data dir, without creating one. */
export function existingSessionSecret(config: Readonly<Config>): string | undefined {
  const file = path.join(config.dataDir, "session-secret");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}
