import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Mailer, MailMessage } from "@gatehouse/core";
import nodemailer from "nodemailer";

/** Where outgoing mail goes: SMTP when SMTP_URL is set, else one `.eml` file per message under the data dir. */
export function createMailer(options: { smtpUrl: string | undefined; from: string; outboxDir: string }): Mailer {
  return options.smtpUrl
    ? smtpMailer(options.smtpUrl, options.from)
    : fileOutboxMailer(options.outboxDir, options.from);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    send: async (message: MailMessage) => {
      await transport.sendMail({ from, ...message });
    },
  };
}

/**
 * Writes each message as an RFC 822 `.eml` file, so tests and newcomers can read mail without an SMTP
 * server. File names sort by time; the content is exactly what SMTP would have carried.
 */
export function fileOutboxMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    send: async (message: MailMessage) => {
      const info = await transport.sendMail({ from, ...message });
      await fs.mkdir(outboxDir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.eml`;
      await fs.writeFile(path.join(outboxDir, name), info.message as Buffer, { mode: 0o600 });
    },
  };
}
