import { normalizeEmail } from "@gatehouse/core";
import type { Command } from "commander";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { throttleAddress } from "../abuse/client-ip.ts";
import { CliError } from "./cli-error.ts";
import { withCliContext } from "./open-context.ts";

/**
 * `throttle clear --ip X | --email E`: forgets the throttle counters of an IP address (delays,
 * CAPTCHA, invalid-token count, in every realm) or of an account (its CAPTCHA requirement), e.g. after
 * an operator locked themselves behind a CAPTCHA from localhost. Counters live in Redis when REDIS_URL
 * is set, else in the database: run it with the server's configuration.
 */
export function registerThrottleClear(throttle: Command): void {
  throttle
    .command("clear")
    .description("forget the throttle counters of an IP address or an account")
    .option("--ip <address>", "an IPv4 or IPv6 address (IPv6 is cleared for its /64, as it is counted)")
    .option("--email <email>", "an account's email (every realm)")
    .action(async (options: { ip?: string; email?: string }) => {
      if (Boolean(options.ip) === Boolean(options.email)) throw new CliError("Give exactly one of --ip or --email.");
      if (options.ip && !ipaddr.isValid(options.ip)) throw new CliError(`--ip: "${options.ip}" is not an IP address.`);
      if (options.email && !z.email().safeParse(options.email.trim()).success) {
        throw new CliError(`--email: "${options.email}" is not a valid email address.`);
      }
      const subject = options.ip
        ? { ip: throttleAddress(options.ip) }
        : { account: normalizeEmail(options.email as string) };
      await withCliContext(process.env, async ({ ctx, config }) => {
        const cleared = await ctx.abuse.throttle.clear(subject, ctx.realms.names);
        const who = subject.ip ? `IP ${subject.ip}` : `account ${subject.account}`;
        const where = config.redisUrl ? "Redis" : "the database";
        process.stdout.write(`Cleared ${cleared} throttle counter${cleared === 1 ? "" : "s"} of ${who} (${where}).\n`);
      });
    });
}
