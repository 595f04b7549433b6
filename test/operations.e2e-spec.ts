/**
 * Operations: shared rate limits in Redis (and what happens when Redis goes
 * away), liveness and readiness, Prometheus metrics, CORS and the listen
 * address.
 */
import { createConnection } from 'node:net';
import { Client } from 'pg';
import { AttemptCounter } from '../src/rate-limits/attempt-counter';
import { RedisAttemptCounter } from '../src/rate-limits/redis-attempt-counter';
import { LISTENER_APPLICATION_NAME } from '../src/database/notifications';
import { AppProcess, freePort, startAppProcess } from './support/app-process';
import { bearer, createApiKey, signUp } from './support/factories';
import { OwnRedis, redisServerAvailable } from './support/redis-server';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';

jest.setTimeout(120_000);

const signUpThrough = (base: string, email: string) =>
  fetch(`${base}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });

const login = (base: string, email: string) =>
  fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'not the password' }),
  });

/** Every key of a Redis, by its own protocol (the test needs no client of its own). */
const redisKeys = (port: number) =>
  new Promise<string[]>((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('KEYS *\r\n'));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const lines = reply.split('\r\n');
      const count = Number(lines[0].slice(1));
      if (lines.filter((line) => line && !line.startsWith('$') && !line.startsWith('*')).length >= count) {
        socket.destroy();
        resolve(lines.filter((line) => line && !line.startsWith('$') && !line.startsWith('*')));
      }
    });
    socket.on('error', reject);
  });

if (!redisServerAvailable) console.warn('redis-server not found on PATH: skipping the Redis tests (apt-get install redis-server)');
const describeWithRedis = redisServerAvailable ? describe : describe.skip;

describeWithRedis('Rate limits in Redis', () => {
  let redis: OwnRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestApp({ captureLogs: true, env: { REDIS_URL: redis.url, AUTH_RATE_LIMIT_MAX: '3' } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('counts in Redis, and keeps answering, counting locally, while Redis is down; then goes back to it by itself', async () => {
    const counter = t.app.get<AttemptCounter, RedisAttemptCounter>(AttemptCounter);
    const email = `redis-${Date.now()}@example.com`;
    const attempt = () => t.http().post('/v1/auth/login').send({ email, password: 'not the password' });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(429);
    expect(counter.countsLocally).toBe(false);
    // Counted in Redis, under digests: no email or address is stored there.
    const keys = await redisKeys(redis.port);
    expect(keys.some((key) => key.startsWith('magpipe:rate:sign_in_failures:'))).toBe(true);
    expect(keys.join(' ')).not.toMatch(/@|127\.0\.0\.1/);

    await redis.stop();
    const started = Date.now();
    const during = await t.http().post('/v1/auth/login').send({ email: `other-${email}`, password: 'not the password' });
    expect(during.status).toBe(401); // answered, not a 5xx, counted locally
    expect(Date.now() - started).toBeLessThan(2000);
    expect(counter.countsLocally).toBe(true);
    for (let i = 0; i < 5; i++) await t.http().post('/v1/auth/login').send({ email: `other-${email}`, password: 'x' });
    expect(t.logs.filter((line) => line.includes('Redis cannot be reached'))).toHaveLength(1);

    await redis.start(); // empty: the counts of before are gone with it
    for (let deadline = Date.now() + 10_000; counter.countsLocally && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    expect(counter.countsLocally).toBe(false);
    expect(t.logs.some((line) => line.includes('Redis answers again'))).toBe(true);
    const fresh = `fresh-${email}`;
    for (let i = 0; i < 3; i++) expect((await t.http().post('/v1/auth/login').send({ email: fresh, password: 'x' })).status).not.toBe(500);
  });
});

(serverUrl() && redisServerAvailable ? describe : describe.skip)('Rate limits shared by two instances (server only)', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let a: AppProcess;
  let b: AppProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await OwnRedis.start();
    const env = {
      DATABASE_URL: database.url!,
      JWT_SECRET: 'operations-secret-of-at-least-32-bytes!!',
      REDIS_URL: redis.url,
      AUTH_RATE_LIMIT_MAX: '1000',
      AUTH_ACCOUNT_FAILURE_LIMIT: '6',
    };
    [a, b] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await database?.drop();
  });

  it("holds one email's failure ceiling across both instances, survives Redis going away, and shares again when it is back", async () => {
    const email = `shared-${Date.now()}@example.com`;
    await signUpThrough(a.url, email);
    // Six failures in all, three through each: the seventh is refused on either.
    for (let i = 0; i < 3; i++) {
      expect((await login(a.url, email)).status).toBe(401);
      expect((await login(b.url, email)).status).toBe(401);
    }
    expect((await login(a.url, email)).status).toBe(429);
    expect((await login(b.url, email)).status).toBe(429);

    await redis.stop();
    const other = `other-${email}`;
    await signUpThrough(a.url, other);
    // Each instance counts on its own meanwhile: answered, never a 5xx, never a hang.
    for (let i = 0; i < 6; i++) expect((await login(a.url, other)).status).toBe(401);
    expect((await login(a.url, other)).status).toBe(429);
    expect((await login(b.url, other)).status).toBe(401);

    await redis.start();
    const again = `again-${email}`;
    await signUpThrough(a.url, again);
    // Back by itself: once both count in Redis again, the ceiling is shared again.
    const deadline = Date.now() + 15_000;
    let shared = false;
    while (!shared && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const probe = `probe-${Date.now()}-${email}`;
      for (let i = 0; i < 3; i++) await login(a.url, probe);
      for (let i = 0; i < 3; i++) await login(b.url, probe);
      shared = (await login(b.url, probe)).status === 429 && (await login(a.url, probe)).status === 429;
    }
    expect(shared).toBe(true);
  });
});

describe('Health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers liveness without the database, and readiness with database, migrations and listener', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok', database: 'up', migrations: 'applied', listener: 'listening' });
  });

  (serverUrl() ? it : it.skip)('is not ready while the revocation listener is down, and live all along (server only)', async () => {
    const admin = new Client({ connectionString: t.database.url });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [
        LISTENER_APPLICATION_NAME,
      ]);
      let ready = await t.http().get('/health/ready');
      for (let deadline = Date.now() + 2000; ready.status === 200 && Date.now() < deadline; ready = await t.http().get('/health/ready')) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'service_unavailable', message: 'Not ready: the revocation listener is not connected' });
      expect(ready.headers['retry-after']).toBeDefined();
      await t.http().get('/health/live').expect(200);
      // It listens again by itself, and is ready again.
      for (let deadline = Date.now() + 15_000; ready.status !== 200 && Date.now() < deadline; ready = await t.http().get('/health/ready')) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready.status).toBe(200);
    } finally {
      await admin.end();
    }
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://app.example.com';
  let t: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` } });
    closed = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    await closed.close();
  });

  const preflight = (app: TestApp, origin: string, path = '/v1/api-keys') =>
    app.http().options(path).set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type');

  it('answers a preflight from a listed origin before authentication, allowing Authorization and Content-Type, never credentials', async () => {
    const response = await preflight(t, ALLOWED).expect(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-headers']).toMatch(/authorization/i);
    expect(response.headers['access-control-allow-headers']).toMatch(/content-type/i);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers.vary).toMatch(/origin/i);
  });

  it('lets a listed origin read the answer, and the headers a client needs', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    const response = await t.http().get('/v1/auth/whoami').set('Origin', 'http://localhost:5173').set(bearer(key)).expect(200);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-expose-headers']).toMatch(/x-request-id/i);
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives any other origin nothing, and nobody anything by default', async () => {
    for (const [app, origin] of [
      [t, 'https://evil.example.com'],
      [t, 'https://app.example.com.evil.example.com'],
      [closed, ALLOWED],
    ] as const) {
      const response = await preflight(app, origin);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const get = await app.http().get('/health/live').set('Origin', origin);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses a CORS_ORIGINS that is not a list of origins', async () => {
    for (const value of ['*', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com']) {
      await expect(startTestApp({ env: { CORS_ORIGINS: value } })).rejects.toThrow(/CORS_ORIGINS/);
    }
  });
});

describe('Metrics', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp({ env: { METRICS_PORT: String(port), HOST: '127.0.0.1' } });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('serves Prometheus text on METRICS_PORT only: requests, authentications, caches, login queue, pool, outbox, listener', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    for (let i = 0; i < 3; i++) await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
    await t.http().get(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
    await t.http().get('/v1/auth/whoami').set(bearer(`mgp_${'0'.repeat(40)}`)).expect(401);
    await t.http().get('/v1/auth/whoami').expect(401);
    await t.http().get(`/no/such/${user.email}`).expect(404);
    await t.mailSettled();
    const text = await scrape();

    expect(text).toMatch(/magpipe_http_requests_total\{route="\/v1\/auth\/whoami",method="GET",status="200"\} 3/);
    expect(text).toContain('route="/v1/api-keys/:id"');
    expect(text).toContain('route="(unmatched)",method="GET",status="404"');
    expect(text).toMatch(/magpipe_authentications_total\{method="api_key",outcome="ok"\} 3/);
    expect(text).toMatch(/magpipe_authentications_total\{method="api_key",outcome="invalid_token"\} 1/);
    expect(text).toMatch(/magpipe_authentications_total\{method="none",outcome="missing_authorization"\} 1/);
    expect(text).toMatch(/magpipe_credential_cache_hits\{cache="api_key_changed"\} [1-9]/);
    expect(text).toMatch(/magpipe_credential_cache_misses\{cache="api_key_changed"\} [1-9]/);
    for (const name of [
      'magpipe_login_queue_length',
      'magpipe_login_queue_wait_seconds',
      'magpipe_db_pool_connections{state="in_use"}',
      'magpipe_mail_outbox_backlog',
      'magpipe_revocation_listener_up 1',
      'magpipe_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
    // Never a secret, an email or a raw path.
    for (const secret of [key, key.slice(4, 20), user.email, user.accessToken.slice(0, 30), id]) expect(text).not.toContain(secret);

    await t.http().get('/metrics').expect(404);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});

describe('HOST', () => {
  it('is the address the service listens on', async () => {
    const database = serverUrl() ? await createTestDatabase() : undefined;
    const service = await startAppProcess({ ...(database?.env ?? { DATA_DIR: 'memory://' }), HOST: '127.0.0.2' }, 'source', '127.0.0.2');
    try {
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      expect(service.url).toContain('127.0.0.2');
      await expect(fetch(service.url.replace('127.0.0.2', '127.0.0.1') + '/health/live')).rejects.toThrow();
    } finally {
      await service.stop();
      await database?.drop();
    }
  });
});
