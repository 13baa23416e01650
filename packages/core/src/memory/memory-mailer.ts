import type { Mailer, MailMessage } from "../mailer.ts";

/** Test double that keeps what was sent. */
export class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push({ ...message });
  }
}
