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
 * Writes each message as an RFC 822 `.eml` file (exactly what SMTP would have carried, which encodes
 * long lines as quoted-printable) and, beside it, a `.txt` with the headers and the body as written,
 * so a link copied from `cat` or `npm run cli -- outbox` is the real link. File names sort by time.
 */
export function fileOutboxMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    send: async (message: MailMessage) => {
      const info = await transport.sendMail({ from, ...message });
      await fs.mkdir(outboxDir, { recursive: true, mode: 0o700 });
      const now = new Date();
      const base = path.join(outboxDir, `${now.toISOString().replace(/[:.]/g, "-")}-${randomUUID()}`);
      const readable = `From: ${from}\nTo: ${message.to}\nSubject: ${message.subject}\nDate: ${now.toISOString()}\n\n${message.text}\n`;
      await fs.writeFile(`${base}.txt`, readable, { mode: 0o600 });
      await fs.writeFile(`${base}.eml`, info.message as Buffer, { mode: 0o600 });
    },
  };
}

/** The newest `count` readable mails of the outbox (`.txt`), newest first; none when there is no outbox. */
export async function latestOutboxMails(outboxDir: string, count: number): Promise<{ file: string; text: string }[]> {
  const names = await fs.readdir(outboxDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  const latest = names
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .reverse()
    .slice(0, count);
  return Promise.all(
    latest.map(async (name) => ({
      file: path.join(outboxDir, name),
      text: await fs.readFile(path.join(outboxDir, name), "utf8"),
    })),
  );
}
