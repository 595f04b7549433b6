/**
 * What an attacker and a flaky network found, each kept fixed: raw requests
 * the HTTP layer refuses, slow bodies, forwarded headers, duplicate
 * credentials, JWT `crit`, wrong methods, secrets and caches, Unicode.
 */
import { createHmac } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { bearer, createApiKey, logIn, signUp, uniqueEmail } from './support/factories';
import { rawRequest } from './support/raw-http';
import { startTestApp, TestApp } from './support/test-app';

const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

const expectErrorShape = (body: string | object, status: number, code: string) => {
  const parsed = typeof body === 'string' ? (JSON.parse(body) as object) : body;
  expect(parsed).toEqual({ statusCode: status, error: expect.any(String), code, message: expect.any(String) });
};

const expectSecurityHeaders = (headers: Record<string, string | string[] | undefined>) => {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-security-policy']).toContain("default-src 'self'");
};

async function listening(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

describe('Hardening: the HTTP edge', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ captureLogs: true, env: { REQUEST_TIMEOUT_MS: '1000' } });
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('answers headers that are too large with 431 in the error shape, and logs no secret of that request', async () => {
    const user = await signUp(t, { password: 'a password in a refused request' });
    const { key } = await createApiKey(t, user.accessToken);
    const body = JSON.stringify({ email: user.email, password: user.password });
    const response = await rawRequest(
      port,
      `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nCookie: ${'c'.repeat(20_000)}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(response.status).toBe(431);
    expectErrorShape(response.body, 431, 'headers_too_large');
    expectSecurityHeaders(response.headers);
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(user.password);
    expect(logs).not.toContain('rawPacket');
  });

  it('answers a control character in a header with 400 malformed_request, and logs no secret of it', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    const response = await rawRequest(port, `GET /v1/auth/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nX-Bad: a\u0001b\r\n\r\n`);
    expect(response.status).toBe(400);
    expectErrorShape(response.body, 400, 'malformed_request');
    expectSecurityHeaders(response.headers);
    const nul = await rawRequest(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n`);
    expect(nul.status).toBe(400);
    expectErrorShape(nul.body, 400, 'malformed_request');
    expect(t.logs.join('\n')).not.toContain(key);
  });

  it('refuses Content-Length together with Transfer-Encoding', async () => {
    const response = await rawRequest(
      port,
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(response.status).toBe(400);
    expectErrorShape(response.body, 400, 'malformed_request');
    expectSecurityHeaders(response.headers);
  });

  it('bounds the whole request, body included: a body that never ends gets 408', async () => {
    const response = await rawRequest(
      port,
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
      10_000,
    );
    expect(response.status).toBe(408);
    expectErrorShape(response.body, 408, 'request_timeout');
    expectSecurityHeaders(response.headers);
  });

  it('refuses two Authorization headers instead of taking the first', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    const response = await rawRequest(
      port,
      `GET /v1/auth/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nAuthorization: Bearer ${user.accessToken}\r\nConnection: close\r\n\r\n`,
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual(
      expect.objectContaining({ statusCode: 400, code: 'validation_failed', details: [expect.objectContaining({ field: 'authorization' })] }),
    );
  });

  it('answers a wrong method on a known path with 405 and Allow, and an unknown path with 404', async () => {
    const me = await t.http().delete('/v1/users/me').expect(405);
    expectErrorShape(me.body, 405, 'method_not_allowed');
    expect(me.headers.allow).toBe('GET, HEAD, PATCH');
    const key = await t.http().put('/v1/api-keys/00000000-0000-0000-0000-000000000000').send({}).expect(405);
    expect(key.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
    await t.http().delete('/v1/nothing-here').expect(404);
  });

  it('documents what the HTTP layer answers on every route, and the 503s Retry-After', async () => {
    const spec = (await t.http().get('/docs/openapi.json').expect(200)).body;
    const whoami = spec.paths['/v1/auth/whoami'].get.responses;
    expect(whoami['400'].description).toContain('`malformed_request`');
    expect(whoami['408'].description).toContain('`request_timeout`');
    expect(whoami['431'].description).toContain('`headers_too_large`');
    expect(whoami['503'].headers['Retry-After']).toBeDefined();
  });
});

describe('Hardening: secrets, tokens and caches', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('documents the body errors of a route that expects no body (found by the fuzzer)', async () => {
    const user = await signUp(t);
    const { id } = await createApiKey(t, user.accessToken);
    const response = await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).set('content-type', 'text/plain').send('x');
    expect(response.status).toBe(415);
    // The contract check fails the file if a 415 is not in the spec for this operation.
  });

  it('sends Cache-Control: no-store with every response that carries a secret, and only those', async () => {
    const email = uniqueEmail();
    const signup = await t.http().post('/v1/auth/signup').send({ email, password: 'correct horse battery' }).expect(201);
    expect(signup.headers['cache-control']).toBe('no-store');
    const login = await t.http().post('/v1/auth/login').send({ email, password: 'correct horse battery' }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refresh = await t.http().post('/v1/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    const created = await t.http().post('/v1/api-keys').set(bearer(login.body.access_token)).send({ name: 'k' }).expect(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const list = await t.http().get('/v1/api-keys').set(bearer(login.body.access_token)).expect(200);
    expect(list.headers['cache-control']).toBeUndefined();
  });

  it('refuses a JWT whose header has a crit entry it does not understand (RFC 7515 §4.1.11)', async () => {
    const user = await signUp(t);
    const [, payload] = user.accessToken.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', crit: ['exp'] })).toString('base64url');
    const signature = createHmac('sha256', TEST_SECRET).update(`${header}.${payload}`).digest('base64url');
    const response = await t.http().get('/v1/auth/whoami').set(bearer(`${header}.${payload}.${signature}`)).expect(401);
    expect(response.body.code).toBe('invalid_token');
    await t.http().get('/v1/auth/whoami').set(bearer(user.accessToken)).expect(200);
  });
});

describe('Hardening: forwarded headers', () => {
  describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ env: { TRUST_PROXY: 'true' } })));
    afterAll(() => t.close());

    const ipOfSession = async (forwardedFor: string) => {
      const signup = await t
        .http()
        .post('/v1/auth/signup')
        .set('X-Forwarded-For', forwardedFor)
        .send({ email: uniqueEmail(), password: 'correct horse battery' })
        .expect(201);
      const sessions = await t.http().get('/v1/auth/sessions').set(bearer(signup.body.access_token)).expect(200);
      return sessions.body.sessions[0].ip as string | null;
    };

    it('takes only a valid IP address from X-Forwarded-For, or none', async () => {
      expect(await ipOfSession('203.0.113.9')).toBe('203.0.113.9');
      expect(await ipOfSession('2001:db8::1')).toBe('2001:db8::1');
      expect(await ipOfSession('x'.repeat(100))).toBeNull();
      expect(await ipOfSession('not-an-address')).toBeNull();
      const login = await t.http().post('/v1/auth/login').set('X-Forwarded-For', 'y'.repeat(70)).send({ email: uniqueEmail(), password: 'wrong password' });
      expect(login.status).toBe(401);
    });

    it('points the served spec at the prefix the proxy mounts the service under', async () => {
      const proxied = await t.http().get('/docs/openapi.json').set('X-Forwarded-Prefix', '/auth').expect(200);
      expect(proxied.body.servers).toEqual([{ url: '/auth/', description: 'This server' }]);
    });
  });

  describe('without a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp()));
    afterAll(() => t.close());

    it('ignores X-Forwarded-Prefix, in the spec and in Swagger UI, so that nobody can poison a cache with it', async () => {
      const spec = await t.http().get('/docs/openapi.json').set('X-Forwarded-Prefix', '/evil').expect(200);
      expect(spec.body.servers).toEqual([{ url: '/', description: 'This server' }]);
      const init = await t.http().get('/docs/swagger-ui-init.js').set('X-Forwarded-Prefix', '/evil').expect(200);
      expect(init.text).not.toContain('/evil');
    });

    it('ignores X-Forwarded-For', async () => {
      const signup = await t
        .http()
        .post('/v1/auth/signup')
        .set('X-Forwarded-For', '203.0.113.77')
        .send({ email: uniqueEmail(), password: 'correct horse battery' })
        .expect(201);
      const sessions = await t.http().get('/v1/auth/sessions').set(bearer(signup.body.access_token)).expect(200);
      expect(sessions.body.sessions[0].ip).not.toBe('203.0.113.77');
    });
  });
});

describe('Hardening: Unicode', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('compares emails in normal form C: the decomposed typing of an address is the same address', async () => {
    const local = `jos\u00e9-${Date.now()}`;
    await t.http().post('/v1/auth/signup').send({ email: `${local}@example.com`, password: 'correct horse battery' }).expect(201);
    const decomposed = `${local.normalize('NFD')}@example.com`;
    const again = await t.http().post('/v1/auth/signup').send({ email: decomposed, password: 'correct horse battery' }).expect(409);
    expect(again.body.code).toBe('email_taken');
    await t.http().post('/v1/auth/login').send({ email: decomposed, password: 'correct horse battery' }).expect(200);
  });

  it('normalises passwords, so that the composed and decomposed typings of one password both work', async () => {
    const password = 'caf\u00e9 au lait, bien s\u00fbr';
    const user = await signUp(t, { password });
    await logIn(t, user.email, password.normalize('NFD'));
    await logIn(t, user.email, password);
  });

  it('refuses names with bidirectional controls or lone surrogates', async () => {
    const user = await signUp(t);
    for (const name of ['evil\u202Egpj.exe', 'isolate\u2066x', 'lone \ud800 surrogate', 'lone \udc00']) {
      const response = await t.http().patch('/v1/users/me').set(bearer(user.accessToken)).send({ name }).expect(400);
      expect(response.body.details[0].field).toBe('name');
      const key = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name }).expect(400);
      expect(key.body.code).toBe('validation_failed');
    }
    await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'Café ☕ 東京' }).expect(201);
  });

  it('answers a lone surrogate in an email or password with 400, not 500', async () => {
    for (const path of ['/v1/auth/signup', '/v1/auth/login']) {
      const email = await t.http().post(path).send({ email: 'a\ud800@example.com', password: 'correct horse battery' }).expect(400);
      expect(email.body.details.map((detail: { field: string }) => detail.field)).toContain('email');
      const password = await t.http().post(path).send({ email: uniqueEmail(), password: 'correct \udfff horse' }).expect(400);
      expect(password.body.details.map((detail: { field: string }) => detail.field)).toContain('password');
    }
  });
});
