import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { MailConfig } from '../config/app-config';

export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The message as nodemailer takes it, the same for SMTP and for a file: its id is its Message-ID. */
function messageOf(mail: OutgoingMail, from: string) {
  return { from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: `<${mail.id}@magpipe>` };
}

/** Hands a message on: to an SMTP server, or to a file a developer can open. Throws when it could not. */
export abstract class MailTransport {
  abstract deliver(mail: OutgoingMail): Promise<void>;
  close(): void {}
}

/** nodemailer to SMTP_URL. A message is delivered when the server has accepted it. */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(private readonly config: MailConfig & { smtpUrl: string }) {
    super();
    const url = new URL(config.smtpUrl);
    this.transporter = createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      ...(url.username && { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
      // Well inside the outbox's lease, so that no other instance takes a message still being sent.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(messageOf(mail, this.config.from));
  }

  override close(): void {
    this.transporter.close();
  }
}

/**
 * Without SMTP_URL: each message becomes an .eml file in the outbox folder,
 * so that `npm start` works with no mail server and a developer can open the
 * mail. The log names the file, never what is in it.
 */
export class FileTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly builder = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly config: MailConfig) {
    super();
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    const built = await this.builder.sendMail(messageOf(mail, this.config.from));
    await mkdir(this.config.outboxDir, { recursive: true, mode: 0o700 });
    const file = join(this.config.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.id}.eml`);
    await writeFile(file, built.message as Buffer, { mode: 0o600 });
    this.logger.log({ file }, 'Wrote a message to the outbox folder (no SMTP_URL)');
  }
}

export function mailTransportFor(config: MailConfig): MailTransport {
  return config.smtpUrl ? new SmtpTransport({ ...config, smtpUrl: config.smtpUrl }) : new FileTransport(config);
}
