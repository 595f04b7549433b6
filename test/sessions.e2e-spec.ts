import { createHmac } from 'node:crypto';
import { bearer, decodeJwt, logIn, signUp, uniqueEmail } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long';

function forgeJwt(header: object, claims: object, secret = SECRET): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createHmac(header['alg' as keyof object] === 'HS512' ? 'sha512' : 'sha256', secret)
    .update(unsigned)
    .digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('Session tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expect401 = async (token: string | undefined, code: string) => {
    const call = t.http().get('/v1/users/me');
    if (token !== undefined) void call.set('Authorization', `Bearer ${token}`);
    const response = await call;
    expect(response.status).toBe(401);
    expect(response.body.code).toBe(code);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="magpipe", error="invalid_token"/);
    return response;
  };

  describe('signup and login', () => {
    it('signs up, returning a one-hour HS256 session and the user without secrets', async () => {
      const response = await t
        .http()
        .post('/v1/auth/signup')
        .send({ email: '  Grace@Example.COM ', password: 'correct horse battery', name: 'Grace' })
        .expect(201);
      const body = response.body;
      expect(body).toEqual({
        access_token: expect.stringMatching(/^eyJ/),
        token_type: 'bearer',
        expires_in: 3600,
        expires_at: expect.any(Number),
        refresh_token: expect.any(String),
        user: { id: expect.any(String), email: 'grace@example.com', name: 'Grace', created_at: expect.any(String), email_verified_at: null },
      });
      const header = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString());
      const claims = decodeJwt(body.access_token);
      expect(header.alg).toBe('HS256');
      expect(claims).toEqual(
        expect.objectContaining({ sub: body.user.id, sid: expect.any(String), iss: 'magpipe', aud: 'magpipe-api' }),
      );
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
      expect(body.expires_at).toBe(claims.exp);
      expect(body.refresh_token.length).toBeGreaterThanOrEqual(43);

      const [stored] = await t.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [body.user.id]);
      expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('refuses a second account for the same email, whatever its case', async () => {
      const user = await signUp(t);
      const response = await t
        .http()
        .post('/v1/auth/signup')
        .send({ email: user.email.toUpperCase(), password: 'another password' })
        .expect(409);
      expect(response.body.code).toBe('email_taken');
    });

    it('validates email and password', async () => {
      const response = await t.http().post('/v1/auth/signup').send({ email: 'not-an-email', password: 'short' }).expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
      await t
        .http()
        .post('/v1/auth/signup')
        .send({ email: uniqueEmail(), password: 'x'.repeat(257) })
        .expect(400);
    });

    it('logs in with the email in any case', async () => {
      const user = await signUp(t);
      const session = await logIn(t, user.email.toUpperCase(), user.password);
      expect(session.userId).toBe(user.userId);
      expect(session.sessionId).not.toBe(user.sessionId);
    });

    it('gives the same answer for a wrong password and an unknown email', async () => {
      const user = await signUp(t);
      const wrongPassword = await t.http().post('/v1/auth/login').send({ email: user.email, password: 'wrong password' });
      const unknownEmail = await t.http().post('/v1/auth/login').send({ email: uniqueEmail(), password: 'wrong password' });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.text).toBe(unknownEmail.text);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
    });
  });

  describe('access tokens', () => {
    it('authenticates /v1/users/me and whoami', async () => {
      const user = await signUp(t, { name: 'Ada' });
      const me = await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(200);
      expect(me.body).toEqual({ id: user.userId, email: user.email, name: 'Ada', created_at: expect.any(String), email_verified_at: null });
      const whoami = await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(200);
      expect(whoami.body.auth).toEqual({ method: 'session', session_id: user.sessionId, scopes: ['*'] });
    });

    it('renames the user', async () => {
      const user = await signUp(t);
      const response = await t.http().patch('/v1/users/me').set(bearer(user.accessToken)).send({ name: '  Lin  ' }).expect(200);
      expect(response.body.name).toBe('Lin');
      await t.http().patch('/v1/users/me').set(bearer(user.accessToken)).send({ name: 'a\u0007b' }).expect(400);
      await t.http().patch('/v1/users/me').set(bearer(user.accessToken)).send({ name: '   ' }).expect(400);
    });

    it('matches the Bearer scheme case-insensitively', async () => {
      const user = await signUp(t);
      await t.http().get('/v1/users/me').set('Authorization', `bEaReR ${user.accessToken}`).expect(200);
    });

    it('answers a missing or empty header with missing_authorization and a bare challenge', async () => {
      for (const header of [undefined, '', '   ']) {
        const call = t.http().get('/v1/users/me');
        if (header !== undefined) void call.set('Authorization', header);
        const response = await call.expect(401);
        expect(response.body.code).toBe('missing_authorization');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="magpipe"');
      }
    });

    it('never reads a token from the query string or the body', async () => {
      const user = await signUp(t);
      const response = await t.http().get(`/v1/users/me?access_token=${user.accessToken}`).expect(401);
      expect(response.body.code).toBe('missing_authorization');
      const body = await t.http().patch('/v1/users/me').send({ name: 'x', access_token: user.accessToken }).expect(401);
      expect(body.body.code).toBe('missing_authorization');
    });

    it('refuses other schemes and garbage', async () => {
      const user = await signUp(t);
      for (const header of [`Basic ${user.accessToken}`, 'Bearer', 'Bearer a b', `Token ${user.accessToken}`]) {
        const response = await t.http().get('/v1/users/me').set('Authorization', header).expect(401);
        expect(response.body.code).toBe('invalid_token');
      }
      await expect401('garbage', 'invalid_token');
      await expect401(`${user.accessToken}x`, 'invalid_token');
    });

    it('refuses alg none, another algorithm, a wrong secret, issuer or audience', async () => {
      const user = await signUp(t);
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: user.userId, sid: user.sessionId, iat: now, exp: now + 3600, iss: 'magpipe', aud: 'magpipe-api' };
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      await expect401(none, 'invalid_token');
      await expect401(forgeJwt({ alg: 'HS512', typ: 'JWT' }, claims), 'invalid_token');
      await expect401(forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret-that-is-at-least-32-bytes'), 'invalid_token');
      await expect401(forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }), 'invalid_token');
      await expect401(forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'another-api' }), 'invalid_token');
      await expect401(forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: 'not-a-uuid' }), 'invalid_token');
      // The control: the same forgery with the right parts is accepted.
      await t.http().get('/v1/users/me').set(bearer(forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims))).expect(200);
    });

    it('answers an expired token with token_expired, also after it was used', async () => {
      const user = await signUp(t);
      const used = await signUp(t);
      await t.http().get('/v1/users/me').set(bearer(used.accessToken)).expect(200);
      // Measured from the token's own expiry, so that a slow signup under load cannot use up the margin.
      const secondsLeft = () => (decodeJwt(used.accessToken).exp as number) - t.clock.nowMs() / 1000;
      const toOneSecondBefore = secondsLeft() - 1;
      try {
        t.clock.advance(toOneSecondBefore);
        await t.http().get('/v1/users/me').set(bearer(used.accessToken)).expect(200);
        t.clock.advance(2);
        await expect401(user.accessToken, 'token_expired');
        await expect401(used.accessToken, 'token_expired');
      } finally {
        t.clock.advance(-toOneSecondBefore - 2);
      }
    });

  });

  describe('refresh rotation', () => {
    const refresh = (token: string) => t.http().post('/v1/auth/refresh').send({ refresh_token: token });

    it('spends the token and returns a new session token', async () => {
      const user = await signUp(t);
      const response = await refresh(user.refreshToken).expect(200);
      expect(response.body.refresh_token).not.toBe(user.refreshToken);
      expect(decodeJwt(response.body.access_token).sid).toBe(user.sessionId);
      await t.http().get('/v1/users/me').set(bearer(response.body.access_token)).expect(200);
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS spent FROM refresh_tokens WHERE session_id = $1 AND spent_at IS NOT NULL`,
        [user.sessionId],
      );
      expect(row.spent).toBe(1);
    });

    it('stores only a digest of refresh tokens', async () => {
      const user = await signUp(t);
      const rows = await t.dataSource.query(`SELECT * FROM refresh_tokens WHERE session_id = $1`, [user.sessionId]);
      expect(JSON.stringify(rows)).not.toContain(user.refreshToken);
    });

    it('honours a spent token within 10 seconds, for concurrent tabs', async () => {
      const user = await signUp(t);
      await refresh(user.refreshToken).expect(200);
      t.clock.advance(9);
      try {
        await refresh(user.refreshToken).expect(200);
      } finally {
        t.clock.advance(-9);
      }
    });

    it('treats a spent token used after 10 seconds as theft and ends the session', async () => {
      const user = await signUp(t);
      const rotated = await refresh(user.refreshToken).expect(200);
      t.clock.advance(11);
      try {
        const replay = await refresh(user.refreshToken).expect(401);
        expect(replay.body.code).toBe('invalid_refresh_token');
        expect(replay.headers['www-authenticate']).toContain('Bearer realm="magpipe"');
        const newest = await refresh(rotated.body.refresh_token).expect(401);
        expect(newest.body.code).toBe('invalid_refresh_token');
        await expect401(rotated.body.access_token, 'invalid_token');
      } finally {
        t.clock.advance(-11);
      }
    });

    it('handles two refreshes racing with the same token', async () => {
      const user = await signUp(t);
      const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.refresh_token).not.toBe(b.body.refresh_token);
      for (const response of [a, b]) await refresh(response.body.refresh_token).expect(200);
      const sessions = await t.dataSource.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [user.userId]);
      expect(sessions[0].n).toBe(1);
    });

    it('refuses an unknown refresh token', async () => {
      const response = await refresh('not-a-real-token').expect(401);
      expect(response.body.code).toBe('invalid_refresh_token');
      await t.http().post('/v1/auth/refresh').send({}).expect(400);
    });
  });

  describe('logout and sessions', () => {
    it('local logout ends the access token and the refresh token', async () => {
      const user = await signUp(t);
      await t.http().post('/v1/auth/logout').set(bearer(user.accessToken)).send({}).expect(204);
      await expect401(user.accessToken, 'invalid_token');
      const response = await t.http().post('/v1/auth/refresh').send({ refresh_token: user.refreshToken }).expect(401);
      expect(response.body.code).toBe('invalid_refresh_token');
    });

    it('global logout ends every session; others keeps the current one', async () => {
      const user = await signUp(t);
      const second = await logIn(t, user.email, user.password);
      const third = await logIn(t, user.email, user.password);

      await t.http().post('/v1/auth/logout').set(bearer(third.accessToken)).send({ scope: 'others' }).expect(204);
      await expect401(user.accessToken, 'invalid_token');
      await expect401(second.accessToken, 'invalid_token');
      await t.http().get('/v1/users/me').set(bearer(third.accessToken)).expect(200);

      const fourth = await logIn(t, user.email, user.password);
      await t.http().post('/v1/auth/logout').set(bearer(fourth.accessToken)).send({ scope: 'global' }).expect(204);
      await expect401(third.accessToken, 'invalid_token');
      await expect401(fourth.accessToken, 'invalid_token');
    });

    it('rejects an unknown logout scope', async () => {
      const user = await signUp(t);
      await t.http().post('/v1/auth/logout').set(bearer(user.accessToken)).send({ scope: 'everything' }).expect(400);
    });

    it('lists active sessions, marks the current one, and ends one by id', async () => {
      const user = await signUp(t);
      const second = await logIn(t, user.email, user.password);
      const list = await t.http().get('/v1/auth/sessions').set(bearer(second.accessToken)).expect(200);
      expect(list.body.sessions).toHaveLength(2);
      const current = list.body.sessions.find((s: { current: boolean }) => s.current);
      expect(current).toEqual({
        id: second.sessionId,
        created_at: expect.any(String),
        refreshed_at: expect.any(String),
        user_agent: null,
        ip: expect.any(String),
        current: true,
      });

      await t.http().delete(`/v1/auth/sessions/${user.sessionId}`).set(bearer(second.accessToken)).expect(204);
      await t.http().delete(`/v1/auth/sessions/${user.sessionId}`).set(bearer(second.accessToken)).expect(204);
      await expect401(user.accessToken, 'invalid_token');
      const after = await t.http().get('/v1/auth/sessions').set(bearer(second.accessToken)).expect(200);
      expect(after.body.sessions.map((s: { id: string }) => s.id)).toEqual([second.sessionId]);
    });

    it("answers another user's session with 404 and a malformed id with 400", async () => {
      const alice = await signUp(t);
      const bob = await signUp(t);
      const response = await t.http().delete(`/v1/auth/sessions/${bob.sessionId}`).set(bearer(alice.accessToken)).expect(404);
      expect(response.body.code).toBe('not_found');
      await t.http().get('/v1/users/me').set(bearer(bob.accessToken)).expect(200);
      const malformed = await t.http().delete('/v1/auth/sessions/abc').set(bearer(alice.accessToken)).expect(400);
      expect(malformed.body.code).toBe('validation_failed');
    });
  });
});
