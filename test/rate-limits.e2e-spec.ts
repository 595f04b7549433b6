import { signUp, uniqueEmail } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('Rate limits on login, signup and refresh', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_S: '60', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const login = (email: string, address: string) =>
    t.http().post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password: 'wrong password' });

  it('limits attempts per client address, with Retry-After', async () => {
    const address = '198.51.100.1';
    for (let i = 0; i < 3; i++) await login(uniqueEmail(), address).expect(401);
    const response = await login(uniqueEmail(), address).expect(429);
    expect(response.body).toEqual(expect.objectContaining({ statusCode: 429, code: 'rate_limited' }));
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
    await login(uniqueEmail(), '198.51.100.2').expect(401);
  });

  it('limits attempts per email across addresses', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 3; i++) await login(email, `203.0.113.${i + 1}`).expect(401);
    const response = await login(email.toUpperCase(), '203.0.113.99').expect(429);
    expect(response.body.code).toBe('rate_limited');
  });

  it('counts each route separately', async () => {
    const address = '192.0.2.10';
    for (let i = 0; i < 3; i++) await login(uniqueEmail(), address).expect(401);
    await login(uniqueEmail(), address).expect(429);
    await t
      .http()
      .post('/v1/auth/refresh')
      .set('X-Forwarded-For', address)
      .send({ refresh_token: 'unknown' })
      .expect(401);
  });

  it('limits refresh per address', async () => {
    const address = '192.0.2.20';
    const refresh = () => t.http().post('/v1/auth/refresh').set('X-Forwarded-For', address).send({ refresh_token: 'x' });
    for (let i = 0; i < 3; i++) await refresh().expect(401);
    await refresh().expect(429);
  });

  it('does not limit authenticated routes', async () => {
    const user = await signUp(t);
    for (let i = 0; i < 6; i++) {
      await t.http().get('/v1/users/me').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    }
  });
});
