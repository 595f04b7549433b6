/**
 * The account lifecycle: verifying the email, changing and resetting the
 * password, deleting the account; with the mail each sends, read from the
 * outbox folder as a developer would (no SMTP_URL).
 */
import { createApiKey, bearer, logIn, signUp, SignedUpUser, uniqueEmail } from './support/factories';
import { outboxFiles, ReceivedMail, waitForMail } from './support/mail';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://auth.example.com';

describe('Account lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ captureLogs: true, env: { PUBLIC_URL } })));
  afterAll(() => t.close());

  const mailTo = async (email: string, count = 1): Promise<ReceivedMail> => (await waitForMail(() => outboxFiles(t.outboxDir), email, count)).at(-1)!;
  const me = async (token: string) => (await t.http().get('/v1/users/me').set(bearer(token)).expect(200)).body as { email_verified_at: string | null };
  const eventTypes = async (token: string) =>
    ((await t.http().get('/v1/audit-events').set(bearer(token)).expect(200)).body.events as { type: string }[]).map((event) => event.type);
  const expectCode = (response: { body: { code: string } }, code: string) => expect(response.body.code).toBe(code);

  describe('email verification', () => {
    it('mails a link at sign-up; opening it verifies the email, once', async () => {
      const user = await signUp(t);
      expect((await me(user.accessToken)).email_verified_at).toBeNull();
      const mail = await mailTo(user.email);
      expect(mail.subject).toBe('Verify your email for Magpipe');
      expect(mail.link).toMatch(new RegExp(`^${PUBLIC_URL}/#verify-email\\?token=[\\w-]{43}$`));
      expect(mail.text).toContain('24 hours');

      await t.http().post('/v1/auth/email-verification/confirm').send({ token: mail.token }).expect(204);
      expect((await me(user.accessToken)).email_verified_at).toEqual(expect.any(String));
      expectCode(await t.http().post('/v1/auth/email-verification/confirm').send({ token: mail.token }).expect(400), 'invalid_link_token');
      expect(await eventTypes(user.accessToken)).toContain('email.verified');
    });

    it('sends a new link on request, which replaces the old one; a link expires after 24 hours', async () => {
      const user = await signUp(t);
      const first = await mailTo(user.email);
      const { key } = await createApiKey(t, user.accessToken);
      expectCode(await t.http().post('/v1/auth/email-verification').set(bearer(key)).expect(403), 'session_required');
      const accepted = await t.http().post('/v1/auth/email-verification').set(bearer(user.accessToken)).expect(202);
      expect(accepted.body.message).toEqual(expect.any(String));
      const second = await mailTo(user.email, 2);
      expect(second.token).not.toBe(first.token);
      expectCode(await t.http().post('/v1/auth/email-verification/confirm').send({ token: first.token }).expect(400), 'invalid_link_token');

      t.clock.advance(24 * 3600 + 1);
      try {
        expectCode(await t.http().post('/v1/auth/email-verification/confirm').send({ token: second.token }).expect(400), 'invalid_link_token');
      } finally {
        t.clock.advance(-(24 * 3600 + 1));
      }
      for (const token of ['', 'x'.repeat(43), 'not a token at all']) {
        const response = await t.http().post('/v1/auth/email-verification/confirm').send({ token });
        expect([400]).toContain(response.status);
        expect(['invalid_link_token', 'validation_failed']).toContain(response.body.code);
      }
    });
  });

  describe('changing the password', () => {
    let user: SignedUpUser;
    beforeEach(async () => (user = await signUp(t)));
    const change = (token: string, current_password: string, new_password: string) =>
      t.http().post('/v1/users/me/password').set(bearer(token)).send({ current_password, new_password });

    it('needs the current password: a wrong one is 403 wrong_password, never 401', async () => {
      const response = await change(user.accessToken, 'not the password', 'a new and better passphrase').expect(403);
      expectCode(response, 'wrong_password');
      await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(200);
    });

    it('refuses a common password with 400 weak_password, in any case', async () => {
      for (const weak of ['password1', 'Qwertyuiop', 'ILOVEYOU1']) expectCode(await change(user.accessToken, user.password, weak).expect(400), 'weak_password');
    });

    it('ends every other session at once, keeps this one, and leaves the keys alone', async () => {
      const other = await logIn(t, user.email, user.password);
      const { key } = await createApiKey(t, user.accessToken);
      await t.http().get('/v1/auth/whoami').set(bearer(other.accessToken)).expect(200);
      await change(user.accessToken, user.password, 'a new and better passphrase').expect(204);

      await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(200);
      expectCode(await t.http().get('/v1/auth/whoami').set(bearer(other.accessToken)).expect(401), 'invalid_token');
      expectCode(await t.http().post('/v1/auth/refresh').send({ refresh_token: other.refreshToken }).expect(401), 'invalid_refresh_token');
      await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
      await t.http().post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
      await logIn(t, user.email, 'a new and better passphrase');
      expect(await eventTypes(user.accessToken)).toContain('password.changed');
    });

    it('is for session tokens only', async () => {
      const { key } = await createApiKey(t, user.accessToken);
      expectCode(await change(key, user.password, 'a new and better passphrase').expect(403), 'session_required');
    });
  });

  describe('resetting the password', () => {
    const request = (email: string) => t.http().post('/v1/auth/password-reset').send({ email });
    const confirm = (token: string | undefined, new_password: string) =>
      t.http().post('/v1/auth/password-reset/confirm').send({ token, new_password });

    it('answers 202 with the same body whether the email is registered or not, and mails only a registered one', async () => {
      const user = await signUp(t);
      await mailTo(user.email); // the verification
      const nobody = uniqueEmail();
      const registered = await request(user.email.toUpperCase()).expect(202);
      const unregistered = await request(nobody).expect(202);
      expect(unregistered.body).toEqual(registered.body);
      const mail = await mailTo(user.email, 2);
      expect(mail.subject).toBe('Reset your Magpipe password');
      expect(mail.link).toMatch(new RegExp(`^${PUBLIC_URL}/#reset-password\\?token=[\\w-]{43}$`));
      expect(mail.text).toContain('30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(outboxFiles(t.outboxDir).filter((message) => message.to.includes(nobody))).toEqual([]);
    });

    it('sets the password with the link, once: every session ends, and the email is verified', async () => {
      const user = await signUp(t);
      const { key } = await createApiKey(t, user.accessToken);
      await request(user.email).expect(202);
      const mail = await mailTo(user.email, 2);

      expectCode(await confirm(mail.token, 'password1').expect(400), 'weak_password'); // spends nothing
      await confirm(mail.token, 'a brand new passphrase').expect(204);
      expectCode(await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(401), 'invalid_token');
      expectCode(await t.http().post('/v1/auth/refresh').send({ refresh_token: user.refreshToken }).expect(401), 'invalid_refresh_token');
      await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
      const after = await logIn(t, user.email, 'a brand new passphrase');
      expect((await me(after.accessToken)).email_verified_at).toEqual(expect.any(String));
      expectCode(await confirm(mail.token, 'another brand new passphrase').expect(400), 'invalid_link_token');
      expect(await eventTypes(after.accessToken)).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset_completed']));
    });

    it('replaces an older link with a newer one, and lets a link expire after 30 minutes', async () => {
      const user = await signUp(t);
      await request(user.email).expect(202);
      const first = await mailTo(user.email, 2);
      await request(user.email).expect(202);
      const second = await mailTo(user.email, 3);
      expectCode(await confirm(first.token, 'a brand new passphrase').expect(400), 'invalid_link_token');
      t.clock.advance(31 * 60);
      try {
        expectCode(await confirm(second.token, 'a brand new passphrase').expect(400), 'invalid_link_token');
      } finally {
        t.clock.advance(-31 * 60);
      }
      expectCode(await confirm('a-token-nobody-was-sent', 'a brand new passphrase').expect(400), 'invalid_link_token');
    });

    it('never writes a token to the log', async () => {
      const user = await signUp(t);
      await request(user.email).expect(202);
      const mail = await mailTo(user.email, 2);
      const logs = t.logs.join('\n');
      expect(logs).toContain('Wrote a message to the outbox folder');
      for (const file of outboxFiles(t.outboxDir)) if (file.token) expect(logs).not.toContain(file.token);
      expect(logs).not.toContain(mail.token);
    });
  });

  describe('deleting the account', () => {
    it('needs the password, then stops every key and session at once and deletes every row; the email can sign up again', async () => {
      const user = await signUp(t);
      const other = await logIn(t, user.email, user.password);
      const { key } = await createApiKey(t, user.accessToken);
      await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
      await t.http().get('/v1/auth/whoami').set(bearer(other.accessToken)).expect(200);

      expectCode(await t.http().post('/v1/users/me/delete').set(bearer(user.accessToken)).send({ password: 'not it' }).expect(403), 'wrong_password');
      expectCode(await t.http().post('/v1/users/me/delete').set(bearer(key)).send({ password: user.password }).expect(403), 'session_required');
      await t.http().post('/v1/users/me/delete').set(bearer(user.accessToken)).send({ password: user.password }).expect(204);

      for (const token of [key, user.accessToken, other.accessToken]) await t.http().get('/v1/auth/whoami').set(bearer(token)).expect(401);
      await t.http().post('/v1/auth/refresh').send({ refresh_token: other.refreshToken }).expect(401);
      await t.http().post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(401);
      for (const table of ['users', 'sessions', 'api_keys', 'audit_events', 'account_tokens', 'mail_outbox']) {
        const column = table === 'users' ? 'id' : 'user_id';
        const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM ${table} WHERE ${column} = $1`, [user.userId]);
        expect({ table, count }).toEqual({ table, count: 0 });
      }
      await signUp(t, { email: user.email });
    });
  });

  it('refuses a common password at sign-up', async () => {
    expectCode(await t.http().post('/v1/auth/signup').send({ email: uniqueEmail(), password: 'password1' }).expect(400), 'weak_password');
  });
});

describe('Account routes under a low rate limit', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { AUTH_RATE_LIMIT_MAX: '2' } })));
  afterAll(() => t.close());

  it('limits reset and verification requests like sign-in', async () => {
    for (let i = 0; i < 2; i++) await t.http().post('/v1/auth/password-reset').send({ email: 'someone@example.com' }).expect(202);
    const limited = await t.http().post('/v1/auth/password-reset').send({ email: 'someone@example.com' }).expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 2; i++) await t.http().post('/v1/auth/email-verification/confirm').send({ token: `t${i}` }).expect(400);
    await t.http().post('/v1/auth/email-verification/confirm').send({ token: 't' }).expect(429);
  });
});
