import { createHmac } from "node:crypto";
import {
  AbuseThrottle,
  buildThrottleCatalog,
  type Clock,
  defaultOtpPolicy,
  defaultThrottlePolicy,
  OtpService,
  type RandomSource,
  type ThrottleStore,
} from "@gatehouse/core";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import { PgOtpStore } from "../stores/pg-otp-store.ts";
import { PgThrottleStore } from "../stores/pg-throttle-store.ts";
import { RedisThrottleStore } from "../stores/redis-throttle-store.ts";
import { AltchaCaptcha } from "./captcha.ts";
import { createMetrics, type Metrics } from "./metrics.ts";

export interface AbuseServices {
  throttle: AbuseThrottle;
  throttleStore: ThrottleStore;
  captcha: AltchaCaptcha;
  otp: OtpService;
  metrics: Metrics;
  /** Answers when the configured Redis does (readiness); undefined without REDIS_URL. */
  pingRedis: (() => Promise<void>) | undefined;
  close(): Promise<void>;
}

/** Counters in Redis when REDIS_URL is set, else in the database; codes always in the database. */
export function buildAbuseServices(
  config: Readonly<Config>,
  database: Database,
  options: { sessionSecret: string; clock: Clock; random: RandomSource },
): AbuseServices {
  const redis = config.redisUrl ? new RedisThrottleStore(config.redisUrl, config.abuse.redisKeyPrefix) : null;
  const throttleStore: ThrottleStore = redis ?? new PgThrottleStore(database.db);
  const { clock } = options;
  const captcha = new AltchaCaptcha(
    { store: throttleStore, clock, settings: config.abuse.captcha },
    options.sessionSecret,
  );
  const throttle = new AbuseThrottle({
    store: throttleStore,
    clock,
    captcha,
    accountKeySecret: createHmac("sha256", options.sessionSecret).update("gatehouse:throttle-key:v1").digest(),
    catalog: buildThrottleCatalog(config.abuse.rateLimits),
    policy: {
      ...defaultThrottlePolicy,
      windowSeconds: config.abuse.throttleWindowSeconds,
      ipFreeFailures: config.abuse.ipFreeFailures,
      captchaAfterFailures: config.abuse.captchaAfterFailures,
      invalidTokensPerWindow: config.abuse.invalidTokensPerWindow,
    },
  });
  const otpKey = createHmac("sha256", options.sessionSecret).update("gatehouse:otp-key:v1").digest();
  const otp = new OtpService(
    { store: new PgOtpStore(database.db), clock, random: options.random, policy: defaultOtpPolicy },
    otpKey,
  );
  return {
    throttle,
    throttleStore,
    captcha,
    otp,
    metrics: createMetrics(),
    pingRedis: redis ? () => redis.ping() : undefined,
    close: async () => {
      await redis?.close();
    },
  };
}
