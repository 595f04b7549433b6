/**
 * Mail through a real SMTP server (smtp-server, on a port of the test's own):
 * what arrives, delivery after the server was down and the service
 * restarted, and exactly once across two instances.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailSender } from '../src/mail/mail-sender';
import { signUp } from './support/factories';
import { SmtpCapture, waitForMail } from './support/mail';
import { startTestApp } from './support/test-app';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';

jest.setTimeout(60_000);

const MAIL_FROM = 'Magpipe Accounts <accounts@example.com>';

describe('Mail by SMTP', () => {
  let smtp: SmtpCapture;
  beforeEach(async () => {
    smtp = new SmtpCapture();
    await smtp.start();
  });
  afterEach(() => smtp.stop());

  it('delivers the sign-up link to the recipient, from MAIL_FROM, in plain text and HTML', async () => {
    const t = await startTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM, PUBLIC_URL: 'https://auth.example.com' } });
    try {
      const user = await signUp(t);
      const [mail] = await waitForMail(() => smtp.received, user.email);
      expect(mail.to).toBe(user.email);
      expect(mail.from).toBe(MAIL_FROM);
      expect(mail.subject).toBe('Verify your email for Magpipe');
      expect(mail.link).toMatch(/^https:\/\/auth\.example\.com\/#verify-email\?token=[\w-]{43}$/);
      expect(mail.partTypes.sort()).toEqual(['text/html', 'text/plain']);
      expect(mail.text).toContain(`<a href="${mail.link}">`);
      await t.http().post('/v1/auth/email-verification/confirm').send({ token: mail.token }).expect(204);
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM mail_outbox');
      expect(count).toBe(0); // delivered messages are not kept, link and all
    } finally {
      await t.close();
    }
  });

  it('delivers what was asked for while the SMTP server was down, after a restart of the service', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mgp-mail-'));
    const database: TestDatabase = serverUrl() ? await createTestDatabase() : { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, drop: async () => {} };
    const port = smtp.port;
    await smtp.stop(); // down before the request
    const env = { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_BASE_MS: '200' };
    try {
      const first = await startTestApp({ database, env });
      const user = await signUp(first);
      await first.http().post('/v1/auth/password-reset').send({ email: user.email }).expect(202);
      const failedOnce = async () =>
        (await first.dataSource.query('SELECT count(*)::int AS count FROM mail_outbox WHERE attempts > 0 AND last_error IS NOT NULL'))[0].count as number;
      for (let deadline = Date.now() + 10_000; (await failedOnce()) < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
      expect(await failedOnce()).toBe(2); // the verification and the reset, each tried and kept
      await first.close();

      await smtp.start(port);
      const second = await startTestApp({ database, env });
      try {
        const delivered = await waitForMail(() => smtp.received, user.email, 2);
        expect(delivered.map((mail) => mail.subject).sort()).toEqual(['Reset your Magpipe password', 'Verify your email for Magpipe']);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(smtp.received.filter((mail) => mail.to === user.email)).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  (serverUrl() ? it : it.skip)('never sends one message twice, with two instances delivering at once (server only)', async () => {
    const database = await createTestDatabase();
    const env = { SMTP_URL: smtp.url };
    const a = await startTestApp({ database, env });
    const b = await startTestApp({ database, env });
    try {
      const senders = [a, b].map((app) => app.app.get(MailSender));
      // Nothing is delivered while the messages are written: then both instances go at them together.
      const hold = senders.map((sender) => jest.spyOn(sender, 'nudge').mockImplementation(() => undefined));
      const users = await Promise.all(Array.from({ length: 12 }, () => signUp(a)));
      for (const spy of hold) spy.mockRestore();
      await Promise.all([...senders, ...senders].map((sender) => sender.deliverDue()));
      await waitForMail(() => smtp.received, '@', users.length);
      const ids = smtp.received.map((mail) => mail.messageId);
      expect(ids).toHaveLength(users.length);
      expect(new Set(ids).size).toBe(users.length);
      expect(new Set(smtp.received.map((mail) => mail.to))).toEqual(new Set(users.map((user) => user.email)));
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
