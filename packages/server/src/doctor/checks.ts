import type { Config } from "../config.ts";

export type Status = "pass" | "warn" | "fail";
export interface DoctorRow {
  check: string;
  status: Status;
  detail: string;
}

/** Values shipped in .env.example: a deployment that kept one has no secret at all. */
const placeholders = new Set([
  "at-least-32-random-characters-please-change-me",
  "at-least-32-random-characters-for-the-cron-endpoint",
  "at-least-16-chars",
]);

/** A secret that passed the length rule but is guessable: a placeholder, or few different characters. */
export function secretRow(name: string, value: string | undefined, absent: Omit<DoctorRow, "check">): DoctorRow {
  if (value === undefined) return { check: name, ...absent };
  if (placeholders.has(value))
    return { check: name, status: "fail", detail: "still the example value from .env.example" };
  const distinct = new Set(value).size;
  if (distinct < 10) {
    return {
      check: name,
      status: "fail",
      detail: `weak: only ${distinct} different characters (use e.g. openssl rand -base64 48)`,
    };
  }
  return { check: name, status: "pass", detail: `${value.length} characters, ${distinct} different` };
}

/** The checks that need only the configuration (no network). */
export function configurationRows(config: Readonly<Config>): DoctorRow[] {
  const production = config.nodeEnv === "production";
  const rows: DoctorRow[] = [];
  const url = config.publicUrl;
  rows.push(
    url.protocol === "https:"
      ? { check: "PUBLIC_URL", status: "pass", detail: `${url.origin} (https)` }
      : {
          check: "PUBLIC_URL",
          status: production ? "fail" : "warn",
          detail: `${url.origin} is plain http${production ? ": production must be served over https" : " (fine for local development only)"}`,
        },
  );
  rows.push(
    config.cookies.secure
      ? { check: "cookies", status: "pass", detail: "Secure, __Host- prefix, HttpOnly" }
      : {
          check: "cookies",
          status: production ? "fail" : "warn",
          detail: "sent without Secure and without __Host- (ALLOW_INSECURE_COOKIES)",
        },
  );
  rows.push(
    secretRow("SESSION_SECRET", config.sessionSecret, {
      status: config.databaseUrl ? "warn" : "pass",
      detail: config.databaseUrl
        ? "unset: each node generates its own into DATA_DIR; several nodes need one shared SESSION_SECRET"
        : "unset: generated once into DATA_DIR/session-secret (one node)",
    }),
  );
  rows.push(
    secretRow("CRON_SECRET", config.cronSecret, { status: "pass", detail: "unset: the cron endpoint is off (404)" }),
  );
  rows.push(
    secretRow("METRICS_TOKEN", config.abuse.metricsToken, {
      status: production ? "warn" : "pass",
      detail: "unset: /metrics is open; keep it off the public network or set METRICS_TOKEN",
    }),
  );
  const proxies = config.abuse.trustedProxies;
  const everyone = proxies.filter((p) => /^(0\.0\.0\.0\/0|::\/0)$/.test(p));
  rows.push(
    everyone.length > 0
      ? {
          check: "TRUSTED_PROXIES",
          status: "fail",
          detail: `${everyone.join(", ")} trusts every client's X-Forwarded-For: anyone can pick the IP they are throttled as`,
        }
      : proxies.length > 0
        ? { check: "TRUSTED_PROXIES", status: "pass", detail: proxies.join(", ") }
        : {
            check: "TRUSTED_PROXIES",
            status: production ? "warn" : "pass",
            detail: "none: the socket address is the client; behind a reverse proxy every client would share its IP",
          },
  );
  rows.push(
    production
      ? { check: "NODE_ENV", status: "pass", detail: "production" }
      : {
          check: "NODE_ENV",
          status: url.protocol === "https:" ? "warn" : "pass",
          detail: `${config.nodeEnv}: demo accounts on an empty database, insecure settings allowed`,
        },
  );
  if (production && !config.smtpUrl) {
    rows.push({ check: "SMTP_URL", status: "warn", detail: "unset: mail is written to DATA_DIR/outbox, never sent" });
  }
  return rows;
}
