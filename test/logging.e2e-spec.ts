import { bearer, createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('Logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true });
  });
  afterAll(() => t.close());

  it('write one JSON line per request with its id, and never a secret', async () => {
    const user = await signUp(t, { password: 'a very secret password' });
    const { key } = await createApiKey(t, user.accessToken);
    await t.http().get('/v1/auth/whoami').set(bearer(key)).set('x-request-id', 'trace-me-1').expect(200);
    await t.http().get(`/v1/users/me?access_token=${user.accessToken}&key=${key}`).set(bearer(key)).expect(200);
    const refreshed = await t.http().post('/v1/auth/refresh').send({ refresh_token: user.refreshToken }).expect(200);
    await t.http().post('/v1/auth/login').send({ email: user.email, password: 'a wrong password' }).expect(401);
    const corrupted = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
    await t.http().get('/v1/auth/whoami').set(bearer(corrupted)).expect(401);
    await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'x', key }).expect(400);

    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(8);
    expect(requestLines.find((line) => line.reqId === 'trace-me-1')).toEqual(
      expect.objectContaining({ method: 'GET', path: '/v1/auth/whoami', statusCode: 200, responseTime: expect.any(Number) }),
    );
    for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
    expect(requestLines.map((line) => line.path)).not.toContainEqual(expect.stringContaining('?'));

    const text = t.logs.join('\n');
    for (const secret of [
      key,
      key.slice(12),
      user.password,
      'a wrong password',
      user.accessToken,
      user.accessToken.split('.')[2],
      user.refreshToken,
      refreshed.body.access_token,
      refreshed.body.refresh_token,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text.toLowerCase()).not.toContain('"authorization"');
  });
});
