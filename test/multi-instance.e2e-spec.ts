import { AppProcess, startAppProcess } from './support/app-process';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';

jest.setTimeout(180_000);

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Two processes on one PostgreSQL database: a revocation on one is honoured by the other within a second. */
(serverUrl() ? describe : describe.skip)('Revocation across instances (server only)', () => {
  let database: TestDatabase;
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url!, JWT_SECRET: 'multi-instance-secret-of-at-least-32-bytes', AUTH_RATE_LIMIT_MAX: '1000' };
    [a, b] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const call = async (base: string, path: string, init: RequestInit & { token?: string } = {}) => {
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const response = await fetch(`${base}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
  };

  /** Milliseconds until `probe` answers 401 with `code`. */
  const timeUntilRefused = async (probe: () => ReturnType<typeof call>, code: string): Promise<number> => {
    const start = Date.now();
    while (Date.now() - start < 5000) {
      const response = await probe();
      if (response.status === 401) {
        expect(response.body.code).toBe(code);
        return Date.now() - start;
      }
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Infinity;
  };

  it('a key revoked through A is refused by B within 1 second', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    expect(signup.status).toBe(201);
    const created = await call(a.url, '/v1/api-keys', {
      method: 'POST',
      token: signup.body.access_token,
      body: JSON.stringify({ name: 'multi-instance' }),
    });
    expect(created.status).toBe(201);
    const key = created.body.key;
    expect((await call(b.url, '/v1/auth/whoami', { token: key })).status).toBe(200); // B now has it in memory

    const revoked = await call(a.url, `/v1/api-keys/${created.body.id}`, { method: 'DELETE', token: signup.body.access_token });
    expect(revoked.status).toBe(200);
    expect(await timeUntilRefused(() => call(b.url, '/v1/auth/whoami', { token: key }), 'api_key_revoked')).toBeLessThan(1000);
  });

  it('a key rolled through A with no overlap is refused by B within 1 second, and its successor works there', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-roll-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    const token = signup.body.access_token;
    const old = (await call(a.url, '/v1/api-keys', { method: 'POST', token, body: JSON.stringify({ name: 'rolled' }) })).body;
    expect((await call(b.url, '/v1/auth/whoami', { token: old.key })).status).toBe(200); // B now has it in memory

    const rolled = await call(a.url, `/v1/api-keys/${old.id}/roll`, { method: 'POST', token, body: JSON.stringify({ expires_in_s: 0 }) });
    expect(rolled.status).toBe(201);
    expect(await timeUntilRefused(() => call(b.url, '/v1/auth/whoami', { token: old.key }), 'api_key_expired')).toBeLessThan(1000);
    expect((await call(b.url, '/v1/auth/whoami', { token: rolled.body.key })).status).toBe(200);
  });

  it('a key reported leaked to A is refused by B within 1 second', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-leak-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    const key = (await call(a.url, '/v1/api-keys', { method: 'POST', token: signup.body.access_token, body: JSON.stringify({ name: 'leaked' }) })).body.key;
    expect((await call(b.url, '/v1/auth/whoami', { token: key })).status).toBe(200);

    expect((await call(a.url, '/v1/api-keys/report-leaked', { method: 'POST', body: JSON.stringify({ keys: [key] }) })).status).toBe(202);
    expect(await timeUntilRefused(() => call(b.url, '/v1/auth/whoami', { token: key }), 'api_key_revoked')).toBeLessThan(1000);
  });

  it('an access token logged out through A is refused by B within 1 second', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-logout-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    const token = signup.body.access_token;
    expect((await call(b.url, '/v1/users/me', { token })).status).toBe(200);

    expect((await call(a.url, '/v1/auth/logout', { method: 'POST', token, body: '{}' })).status).toBe(204);
    expect(await timeUntilRefused(() => call(b.url, '/v1/users/me', { token }), 'invalid_token')).toBeLessThan(1000);
  });

  it('a password changed through A ends the other sessions on B within 1 second, and keeps the keys', async () => {
    const email = `multi-password-${Date.now()}@example.com`;
    const signup = await call(a.url, '/v1/auth/signup', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    const other = await call(b.url, '/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    const key = (await call(a.url, '/v1/api-keys', { method: 'POST', token: signup.body.access_token, body: JSON.stringify({ name: 'kept' }) })).body.key;
    expect((await call(b.url, '/v1/users/me', { token: other.body.access_token })).status).toBe(200);
    expect((await call(b.url, '/v1/auth/whoami', { token: key })).status).toBe(200);

    const changed = await call(a.url, '/v1/users/me/password', {
      method: 'POST',
      token: signup.body.access_token,
      body: JSON.stringify({ current_password: 'correct horse battery', new_password: 'a longer passphrase' }),
    });
    expect(changed.status).toBe(204);
    expect(await timeUntilRefused(() => call(b.url, '/v1/users/me', { token: other.body.access_token }), 'invalid_token')).toBeLessThan(1000);
    expect((await call(b.url, '/v1/users/me', { token: signup.body.access_token })).status).toBe(200);
    expect((await call(b.url, '/v1/auth/whoami', { token: key })).status).toBe(200);
  });

  it('an account deleted through A stops its key and session on B within 1 second', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-delete-${Date.now()}@example.com`, password: 'correct horse battery' }),
    });
    const token = signup.body.access_token;
    const key = (await call(a.url, '/v1/api-keys', { method: 'POST', token, body: JSON.stringify({ name: 'doomed' }) })).body.key;
    expect((await call(b.url, '/v1/users/me', { token })).status).toBe(200);
    expect((await call(b.url, '/v1/auth/whoami', { token: key })).status).toBe(200);

    const deleted = await call(a.url, '/v1/users/me/delete', { method: 'POST', token, body: JSON.stringify({ password: 'correct horse battery' }) });
    expect(deleted.status).toBe(204);
    expect(await timeUntilRefused(() => call(b.url, '/v1/auth/whoami', { token: key }), 'invalid_token')).toBeLessThan(1000);
    expect(await timeUntilRefused(() => call(b.url, '/v1/users/me', { token }), 'invalid_token')).toBeLessThan(1000);
  });

  it('a profile renamed through A is served renamed by B within 1 second', async () => {
    const signup = await call(a.url, '/v1/auth/signup', {
      method: 'POST',
      body: JSON.stringify({ email: `multi-rename-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Before' }),
    });
    const token = signup.body.access_token;
    expect((await call(b.url, '/v1/users/me', { token })).body.name).toBe('Before'); // B now has it in memory

    expect((await call(a.url, '/v1/users/me', { method: 'PATCH', token, body: JSON.stringify({ name: 'After' }) })).status).toBe(200);
    const start = Date.now();
    let seen = (await call(b.url, '/v1/users/me', { token })).body.name;
    while (seen !== 'After' && Date.now() - start < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = (await call(b.url, '/v1/users/me', { token })).body.name;
    }
    expect(seen).toBe('After');
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
