import { isIP } from "node:net";
import path from "node:path";
import { defaultRateLimits, defaultRealmPolicies, type RateLimits, type RealmPolicy } from "@gatehouse/core";
import { z } from "zod";
import { extraRealms, extraRealmsSchema } from "./config-realms.ts";

/** Raised at boot; the message names the variable so an operator can fix it without reading code. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const seconds = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .positive()
    .max(400 * 24 * 3600)
    .default(fallback);
const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1");

/** What proxy-addr (Fastify's trustProxy) accepts: an IP, an IP/prefix, or one of its named ranges. */
function isProxyAddress(part: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(part)) return true;
  const [address = "", prefix, ...rest] = part.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const flagDefaultTrue = z
  .enum(["true", "false", "1", "0", ""])
  .default("true")
  .transform((v) => v !== "false" && v !== "0");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("localhost"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default("Gatehouse <no-reply@localhost>"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PASSWORD_HASH_NICE: z.coerce.number().int().min(0).max(19).optional(),
  ALLOW_INSECURE_COOKIES: flag,
  USER_IDLE_TIMEOUT_SECONDS: seconds(defaultRealmPolicies.user.idleTimeoutSeconds),
  USER_ABSOLUTE_TIMEOUT_SECONDS: seconds(defaultRealmPolicies.user.absoluteTimeoutSeconds),
  USER_REMEMBER_ME_TIMEOUT_SECONDS: seconds(defaultRealmPolicies.user.rememberMeAbsoluteTimeoutSeconds),
  USER_MAX_SESSIONS: z.coerce
    .number()
    .int()
    .positive()
    .max(1000)
    .default(defaultRealmPolicies.user.maxSessionsPerPrincipal),
  ADMIN_IDLE_TIMEOUT_SECONDS: seconds(defaultRealmPolicies.admin.idleTimeoutSeconds),
  ADMIN_ABSOLUTE_TIMEOUT_SECONDS: seconds(defaultRealmPolicies.admin.absoluteTimeoutSeconds),
  ADMIN_MAX_SESSIONS: z.coerce
    .number()
    .int()
    .positive()
    .max(1000)
    .default(defaultRealmPolicies.admin.maxSessionsPerPrincipal),
  // session lifecycle: the cleanup job and the cron endpoint
  CLEANUP_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(3600),
  CLEANUP_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  CRON_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // abuse protection (docs/abuse-protection.md)
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((parts) => parts.every(isProxyAddress), "must be comma-separated IP addresses or CIDR ranges"),
  OTP_ENABLED: flagDefaultTrue,
  EXTRA_REALMS: extraRealmsSchema,
  SESSION_CACHE_ENTRIES: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  THROTTLE_WINDOW_SECONDS: seconds(15 * 60),
  THROTTLE_IP_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  THROTTLE_CAPTCHA_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  THROTTLE_INVALID_TOKENS_PER_WINDOW: z.coerce.number().int().min(1).max(1_000_000).default(100),
  THROTTLE_OTP_REQUESTS_PER_WINDOW: z.coerce.number().int().min(1).max(100_000).default(20),
  THROTTLE_CAPTCHA_CHALLENGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  CAPTCHA_COST: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  CAPTCHA_MAX_COUNTER: z.coerce.number().int().min(2).max(10_000_000).default(10_000),
  CAPTCHA_TTL_SECONDS: seconds(5 * 60),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, "letters, digits, ':', '_' or '-' (at most 64)")
    .default("gatehouse:"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});

export interface CookiePolicy {
  /** `Secure` attribute and the `__Host-` name prefix. */
  secure: boolean;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  publicUrl: URL;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** SMTP for outgoing mail; without it mail is written to `<dataDir>/outbox` as .eml files. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Undefined on the embedded default until resolveSessionSecret() reads or creates one. */
  sessionSecret: string | undefined;
  logLevel: string;
  /**
   * Nice value of the password-hashing threads (0–19). Above 0 a login storm takes only the CPU the
   * event loop leaves, so authenticated reads keep their latency; on a shared host (a test machine)
   * the same setting starves logins behind every other process, hence 10 in production only.
   */
  passwordHashNice: number;
  cookies: CookiePolicy;
  realms: RealmPolicy[];
  /** Sessions each process keeps in its validation cache (0 = no cache). */
  sessionCacheEntries: number;
  /** Abuse protection: see docs/abuse-protection.md. */
  abuse: AbuseConfig;
  /** Messages to log once the logger exists (e.g. insecure cookies allowed). */
  warnings: string[];
  // session lifecycle
  /** The in-process cleanup schedule (0 = off) and how many rows one DELETE removes at most. */
  cleanup: { intervalSeconds: number; batchSize: number };
  /** Bearer secret of `/api/cron/cleanup-sessions`; the endpoint answers 404 without it. */
  cronSecret: string | undefined;
}

export interface AbuseConfig {
  /** Addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed; empty = the socket address. */
  trustedProxies: string[];
  throttleWindowSeconds: number;
  ipFreeFailures: number;
  captchaAfterFailures: number;
  /** Unknown or malformed session cookies one IP may send per window before 429. */
  invalidTokensPerWindow: number;
  /** Budgets of the throttle catalog's `rate` actions. */
  rateLimits: RateLimits;
  captcha: { cost: number; maxCounter: number; ttlSeconds: number };
  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** Bearer token for GET /metrics; unset = open (keep /metrics off the public network). */
  metricsToken: string | undefined;
}

const localHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The only reader of the environment. Validates everything once, fails with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const warnings: string[] = [];

  const secureOrigin = publicUrl.protocol === "https:" || localHosts.has(publicUrl.hostname);
  if (!secureOrigin && !e.ALLOW_INSECURE_COOKIES) {
    throw new ConfigError(
      `PUBLIC_URL: ${publicUrl.origin} is plain http on a non-local host, where Secure cookies cannot work. ` +
        "Serve it over https, or set ALLOW_INSECURE_COOKIES=true to accept plain cookies (never in production).",
    );
  }
  if (!secureOrigin) {
    if (e.NODE_ENV === "production") {
      throw new ConfigError("ALLOW_INSECURE_COOKIES: plain-http cookies are refused when NODE_ENV=production.");
    }
    warnings.push(
      `Session cookies are sent without Secure and without the __Host- prefix (PUBLIC_URL ${publicUrl.origin}).`,
    );
  }
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new ConfigError("SESSION_SECRET: required when NODE_ENV=production (at least 32 random characters).");
  }
  if (e.ADMIN_ABSOLUTE_TIMEOUT_SECONDS < e.ADMIN_IDLE_TIMEOUT_SECONDS) {
    throw new ConfigError("ADMIN_ABSOLUTE_TIMEOUT_SECONDS: must not be shorter than ADMIN_IDLE_TIMEOUT_SECONDS.");
  }

  const realms: RealmPolicy[] = [
    {
      ...defaultRealmPolicies.user,
      idleTimeoutSeconds: e.USER_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: e.USER_ABSOLUTE_TIMEOUT_SECONDS,
      rememberMeAbsoluteTimeoutSeconds: e.USER_REMEMBER_ME_TIMEOUT_SECONDS,
      maxSessionsPerPrincipal: e.USER_MAX_SESSIONS,
      otpSignIn: e.OTP_ENABLED,
    },
    {
      ...defaultRealmPolicies.admin,
      idleTimeoutSeconds: e.ADMIN_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: e.ADMIN_ABSOLUTE_TIMEOUT_SECONDS,
      maxSessionsPerPrincipal: e.ADMIN_MAX_SESSIONS,
    },
    ...extraRealms(e.EXTRA_REALMS),
  ];

  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    passwordHashNice: e.PASSWORD_HASH_NICE ?? (e.NODE_ENV === "production" ? 10 : 0),
    cookies: { secure: secureOrigin },
    realms,
    sessionCacheEntries: e.SESSION_CACHE_ENTRIES,
    abuse: {
      trustedProxies: e.TRUSTED_PROXIES,
      throttleWindowSeconds: e.THROTTLE_WINDOW_SECONDS,
      ipFreeFailures: e.THROTTLE_IP_FREE_FAILURES,
      captchaAfterFailures: e.THROTTLE_CAPTCHA_AFTER_FAILURES,
      invalidTokensPerWindow: e.THROTTLE_INVALID_TOKENS_PER_WINDOW,
      rateLimits: {
        ...defaultRateLimits,
        otpRequestsPerWindow: e.THROTTLE_OTP_REQUESTS_PER_WINDOW,
        captchaChallengesPerMinute: e.THROTTLE_CAPTCHA_CHALLENGES_PER_MINUTE,
      },
      captcha: { cost: e.CAPTCHA_COST, maxCounter: e.CAPTCHA_MAX_COUNTER, ttlSeconds: e.CAPTCHA_TTL_SECONDS },
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
      metricsToken: e.METRICS_TOKEN,
    },
    warnings,
    // session lifecycle
    cleanup: { intervalSeconds: e.CLEANUP_INTERVAL_SECONDS, batchSize: e.CLEANUP_BATCH_SIZE },
    cronSecret: e.CRON_SECRET,
  });
}
