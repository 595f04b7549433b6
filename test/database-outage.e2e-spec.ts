import { Client } from 'pg';
import { bearer, signUp } from './support/factories';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';

/** Needs a server to cut off; the embedded database lives inside the process. */
(serverUrl() ? describe : describe.skip)('Database outage', () => {
  let t: TestApp;
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url!);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    t = await startTestApp({ database: { ...database, env: { DATABASE_URL: viaProxy.toString() } } });
  });
  afterAll(async () => {
    await t.close();
    await proxy.cut();
    await database.drop();
  });

  it('answers 503 while the database is unreachable and recovers without a restart', async () => {
    const user = await signUp(t);
    await t.http().get('/health').expect(200);

    await proxy.cut();
    const health = await t.http().get('/health').expect(503);
    expect(health.body).toEqual(expect.objectContaining({ statusCode: 503, code: 'service_unavailable' }));
    const me = await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(503);
    expect(me.body.code).toBe('service_unavailable');
    expect(Number(me.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.stringify(me.body)).not.toMatch(/ECONNREFUSED|SELECT|stack/);
    const login = await t.http().post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(503);
    expect(login.body.code).toBe('service_unavailable');

    await proxy.restore();
    await t.http().get('/health').expect(200);
    await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(200);
  });

  it('answers 503 with Retry-After when the database refuses new connections (in maintenance), whatever the SQLSTATE', async () => {
    const user = await signUp(t);
    const name = new URL(database.url!).pathname.slice(1);
    const admin = new Client({ connectionString: serverUrl() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const keys = await t.http().get('/v1/api-keys').set(bearer(user.accessToken)).expect(503);
      expect(keys.body).toEqual(expect.objectContaining({ statusCode: 503, code: 'service_unavailable' }));
      expect(Number(keys.headers['retry-after'])).toBeGreaterThan(0);
      const login = await t.http().post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(503);
      expect(login.headers['retry-after']).toBeDefined();
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await t.http().get('/v1/api-keys').set(bearer(user.accessToken)).expect(200);
  });
});
