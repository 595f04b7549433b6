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
    expect(JSON.stringify(me.body)).not.toMatch(/ECONNREFUSED|SELECT|stack/);
    const login = await t.http().post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(503);
    expect(login.body.code).toBe('service_unavailable');

    await proxy.restore();
    await t.http().get('/health').expect(200);
    await t.http().get('/v1/users/me').set(bearer(user.accessToken)).expect(200);
  });
});
