import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A message as a recipient would read it. */
export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  messageId: string;
  /** Every text part, decoded. */
  text: string;
  /** The content type of every part. */
  partTypes: string[];
  /** The link's token, when the message has one. */
  token?: string;
  link?: string;
}

/** Reads a raw RFC 5322 message: headers, and its parts decoded from quoted-printable or base64. */
export function parseMail(raw: string): ReceivedMail {
  const [head] = raw.split(/\r?\n\r?\n/);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head)?.[1].replace(/\r?\n[ \t]+/g, ' ').trim() ?? '';
  const parts = raw.split(/^--.+$/m);
  const decoded = parts
    .map((part) => {
      const [partHead, ...body] = part.split(/\r?\n\r?\n/);
      const content = body.join('\n\n');
      if (/content-transfer-encoding:\s*quoted-printable/i.test(partHead)) {
        return content.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      }
      if (/content-transfer-encoding:\s*base64/i.test(partHead)) return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString();
      return content;
    })
    .join('\n');
  const partTypes = parts
    .map((part) => /^content-type:\s*([\w/+.-]+)/im.exec(part.split(/\r?\n\r?\n/)[0])?.[1].toLowerCase())
    .filter((type): type is string => type !== undefined && !type.startsWith('multipart/'));
  const link = /(https?:\/\/[^\s"<]+#(?:reset-password|verify-email)\?token=[\w-]+)/.exec(decoded)?.[1];
  return {
    to: header('To'),
    from: header('From'),
    subject: header('Subject'),
    messageId: header('Message-ID'),
    text: decoded,
    partTypes,
    link,
    token: link ? /[?&]token=([\w-]+)/.exec(link)?.[1] : undefined,
  };
}

/** The .eml files written to `dir` (no SMTP_URL), oldest first. */
export function outboxFiles(dir: string): ReceivedMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.eml'))
    .sort()
    .map((file) => parseMail(readFileSync(join(dir, file), 'utf8')));
}

export async function waitForMail(read: () => ReceivedMail[], to: string, count = 1, timeoutMs = 10_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = read().filter((mail) => mail.to.includes(to));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} message(s) to ${to}; have ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A real SMTP server on a port of its own, keeping every message it accepts; it can go down and come back. */
export class SmtpCapture {
  readonly received: ReceivedMail[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, done) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          this.received.push(parseMail(raw));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = undefined;
  }
}
