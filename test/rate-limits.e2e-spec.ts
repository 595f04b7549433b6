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

  it('limits attempts per (address, email) pair', async () => {
    const email = uniqueEmail();
    const address = '203.0.113.1';
    for (let i = 0; i < 3; i++) await login(i === 1 ? email.toUpperCase() : email, address).expect(401);
    const response = await login(email, address).expect(429);
    expect(response.body.code).toBe('rate_limited');
  });

  it('lets nobody lock a user out from many addresses: the per-email ceiling is far higher', async () => {
    const user = await signUp(t);
    for (let i = 0; i < 10; i++) await login(user.email, `198.18.0.${i + 1}`).expect(401);
    await t
      .http()
      .post('/v1/auth/login')
      .set('X-Forwarded-For', '198.18.1.1')
      .send({ email: user.email, password: user.password })
      .expect(200);
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

describe('The ceiling on failed sign-ins per email (AUTH_ACCOUNT_FAILURE_LIMIT)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_ACCOUNT_FAILURE_LIMIT: '5', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, address: string) =>
    t.http().post('/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });

  it('counts failures for one email from all addresses, and then refuses even the right password, for that email only', async () => {
    const user = await signUp(t);
    const other = await signUp(t);
    for (let i = 0; i < 5; i++) await login(user.email, 'wrong password', `192.0.2.${i + 1}`).expect(401);
    const refused = await login(user.email, user.password, '192.0.2.200').expect(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    await login(other.email, other.password, '192.0.2.201').expect(200);
  });

  it('treats an unregistered email the same, so the ceiling tells nobody which emails exist', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 5; i++) await login(email, 'wrong password', `192.0.2.${50 + i}`).expect(401);
    await login(email, 'wrong password', '192.0.2.99').expect(429);
  });
});

