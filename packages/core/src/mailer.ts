/** An email to send. Bodies are plain text; links are built by the caller from the public URL. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing mail. Implemented by SMTP (nodemailer) or a file outbox under the data dir. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
