import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { crc32 } from 'node:zlib';
import { Agent, get } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { LastUsedRecorder } from '../src/api-keys/last-used.recorder';
import { InvalidationBus } from '../src/credentials/invalidation-bus';
import { LISTENER_APPLICATION_NAME } from '../src/database/notifications';
import { BenchModule } from './bench/bench.module';
import { bearer, createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { serverUrl } from './support/test-database';

const checksummed = (body: string) => `${body}${crc32(body).toString(16).padStart(8, '0')}`;

describe('Verification from memory', () => {
  let t: TestApp;
  let queries: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp({ imports: [BenchModule], env: { API_KEY_LAST_USED_FLUSH_MS: '5000' } });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.app.get(LastUsedRecorder).flush();
    queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
  });
  afterEach(() => queries.mockRestore());

  const authenticated = (token: string) => t.http().get('/bench/authenticated').set(bearer(token));

  it('verifies a known API key with no database query after its first use', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    await authenticated(key).expect(200);
    await t.mailSettled();
    queries.mockClear();
    for (let i = 0; i < 20; i++) await authenticated(key).expect(200);
    expect(queries).not.toHaveBeenCalled();
  });

  it('verifies a session token with no database query after its first use', async () => {
    const user = await signUp(t);
    await authenticated(user.accessToken).expect(200);
    await t.mailSettled();
    queries.mockClear();
    for (let i = 0; i < 20; i++) await authenticated(user.accessToken).expect(200);
    expect(queries).not.toHaveBeenCalled();
  });

  it('answers whoami and GET /v1/users/me with no database query at steady state, with either credential', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    for (const token of [key, user.accessToken]) {
      await t.http().get('/v1/auth/whoami').set(bearer(token)).expect(200);
      await t.http().get('/v1/users/me').set(bearer(token)).expect(200);
    }
    await t.mailSettled();
    queries.mockClear();
    for (let i = 0; i < 10; i++) {
      for (const token of [key, user.accessToken]) {
        await t.http().get('/v1/auth/whoami').set(bearer(token)).expect(200);
        await t.http().get('/v1/users/me').set(bearer(token)).expect(200);
      }
    }
    expect(queries).not.toHaveBeenCalled();
  });

  it('checks a scoped key from memory too: whoami, a route it may call and one it may not, with no database query', async () => {
    const user = await signUp(t);
    const created = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'reader', scopes: ['users:read'] }).expect(201);
    const key = created.body.key as string;
    await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
    await t.http().get('/v1/users/me').set(bearer(key)).expect(200);
    await t.mailSettled();
    queries.mockClear();
    for (let i = 0; i < 10; i++) {
      expect((await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200)).body.auth.scopes).toEqual(['users:read']);
      await t.http().get('/v1/users/me').set(bearer(key)).expect(200);
      expect((await t.http().patch('/v1/users/me').set(bearer(key)).send({ name: 'No' }).expect(403)).body.code).toBe('insufficient_scope');
    }
    expect(queries).not.toHaveBeenCalled();
  });

  it('serves a renamed profile at once: the rename evicts it', async () => {
    const user = await signUp(t, { name: 'Before' });
    expect((await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(200)).body.name).toBe('Before');
    await t.http().patch('/v1/users/me').set(bearer(user.accessToken)).send({ name: 'After' }).expect(200);
    expect((await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(200)).body.name).toBe('After');
    expect((await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(200)).body.user.name).toBe('After');
  });

  it('remembers an unknown well-formed key briefly, and never looks up malformed ones', async () => {
    const unknown = checksummed(`mgp_${'cd'.repeat(16)}`);
    await authenticated(unknown).expect(401);
    await t.mailSettled();
    queries.mockClear();
    for (let i = 0; i < 10; i++) {
      expect((await authenticated(unknown).expect(401)).body.code).toBe('invalid_token');
      expect((await authenticated(`mgp_${'ab'.repeat(20)}`).expect(401)).body.code).toBe('invalid_token');
    }
    expect(queries).not.toHaveBeenCalled();
  });

  it('still revokes at once: a revoked key is refused on its next use', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    await authenticated(key).expect(200);
    await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
    expect((await authenticated(key).expect(401)).body.code).toBe('api_key_revoked');
  });

  it('still ends sessions at once: a logged-out token is refused on its next use', async () => {
    const user = await signUp(t);
    await authenticated(user.accessToken).expect(200);
    await t.http().post('/v1/auth/logout').set(bearer(user.accessToken)).send({ scope: 'global' }).expect(204);
    expect((await authenticated(user.accessToken).expect(401)).body.code).toBe('invalid_token');
  });

  describe('on a connection the client keeps open', () => {
    let agent: Agent;
    let port: number;
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as AddressInfo).port;
    });
    // One socket, kept alive: the guard reads its header once and reuses the read.
    beforeEach(() => (agent = new Agent({ keepAlive: true, maxSockets: 1 })));
    afterEach(() => agent.destroy());

    const onConnection = (token: string) =>
      new Promise<{ status: number; code?: string; method?: string; reused: boolean }>((resolve, reject) => {
        const request = get({ port, host: '127.0.0.1', path: '/bench/authenticated', agent, headers: bearer(token) }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => {
            const body = JSON.parse(text) as { code?: string; method?: string };
            resolve({ status: response.statusCode!, code: body.code, method: body.method, reused: request.reusedSocket });
          });
        });
        request.on('error', reject);
      });

    it('refuses a key revoked meanwhile on its next request', async () => {
      const user = await signUp(t);
      const { id, key } = await createApiKey(t, user.accessToken);
      expect(await onConnection(key)).toMatchObject({ status: 200, method: 'api_key' });
      expect(await onConnection(key)).toMatchObject({ status: 200, reused: true });
      await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
      expect(await onConnection(key)).toEqual({ status: 401, code: 'api_key_revoked', reused: true });
    });

    it('refuses a token logged out meanwhile, or expired meanwhile, on its next request', async () => {
      const loggedOut = await signUp(t);
      expect(await onConnection(loggedOut.accessToken)).toMatchObject({ status: 200, method: 'session' });
      await t.http().post('/v1/auth/logout').set(bearer(loggedOut.accessToken)).send({}).expect(204);
      expect(await onConnection(loggedOut.accessToken)).toMatchObject({ status: 401, code: 'invalid_token', reused: true });

      const expiring = await signUp(t);
      expect(await onConnection(expiring.accessToken)).toMatchObject({ status: 200, reused: true });
      t.clock.advance(60 * 60);
      try {
        expect(await onConnection(expiring.accessToken)).toMatchObject({ status: 401, code: 'token_expired', reused: true });
      } finally {
        t.clock.advance(-60 * 60);
      }
    });

    it('refuses a key that expires meanwhile on its next request', async () => {
      const user = await signUp(t);
      const expiresAt = new Date(t.clock.nowMs() + 60_000).toISOString();
      const created = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'short', expires_at: expiresAt }).expect(201);
      expect(await onConnection(created.body.key)).toMatchObject({ status: 200, method: 'api_key' });
      expect(await onConnection(created.body.key)).toMatchObject({ status: 200, reused: true });
      t.clock.advance(61);
      try {
        expect(await onConnection(created.body.key)).toEqual({ status: 401, code: 'api_key_expired', reused: true });
      } finally {
        t.clock.advance(-61);
      }
    });

    it('reads each new header the client sends on it', async () => {
      const user = await signUp(t);
      const { key } = await createApiKey(t, user.accessToken);
      // A mistyped key is as long as the key it follows, and differs only at the end.
      const mistyped = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
      expect(await onConnection(key)).toMatchObject({ status: 200, method: 'api_key' });
      expect(await onConnection(mistyped)).toMatchObject({ status: 401, code: 'invalid_token', reused: true });
      expect(await onConnection(user.accessToken)).toMatchObject({ status: 200, method: 'session', reused: true });
      expect(await onConnection(key)).toMatchObject({ status: 200, method: 'api_key', reused: true });
    });
  });

  (serverUrl() ? describe : describe.skip)('when the listening connection drops (server only)', () => {
    it('goes to the database until it has listened again, so a missed revocation is never served', async () => {
      const user = await signUp(t);
      const { id, key } = await createApiKey(t, user.accessToken);
      await authenticated(key).expect(200);
      await authenticated(user.accessToken).expect(200);

      const admin = new Client({ connectionString: t.database.url });
      await admin.connect();
      try {
        // Cut the listener, then revoke behind the service's back: no notification can arrive.
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [
          LISTENER_APPLICATION_NAME,
        ]);
        await admin.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [id]);
        await admin.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [user.sessionId]);
      } finally {
        await admin.end();
      }
      expect((await authenticated(key).expect(401)).body.code).toBe('api_key_revoked');
      expect((await authenticated(user.accessToken).expect(401)).body.code).toBe('invalid_token');

      const bus = t.app.get(InvalidationBus);
      const deadline = Date.now() + 5000;
      while (!bus.isTrusted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(bus.isTrusted).toBe(true);
      expect((await authenticated(key).expect(401)).body.code).toBe('api_key_revoked');
    });
  });
});
