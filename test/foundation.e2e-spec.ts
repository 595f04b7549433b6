import { createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('Foundation: health, docs and the error shape', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  const expectErrorShape = (body: Record<string, unknown>, status: number, code: string) => {
    expect(body).toEqual(
      expect.objectContaining({ statusCode: status, code, error: expect.any(String), message: expect.any(String) }),
    );
    expect(JSON.stringify(body)).not.toMatch(/stack|at \w+ \(|SELECT|INSERT/i);
  };

  it('GET /health reports the database round trip', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves Swagger UI at /docs and the spec at /docs/openapi.json', async () => {
    await t.http().get('/docs').expect(200).expect('content-type', /html/);
    const spec = await t.http().get('/docs/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/health', '/v1/auth/login', '/v1/api-keys']));
  });

  it('points the served spec at the prefix a trusted proxy mounts the service under', async () => {
    const proxy = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const direct = await proxy.http().get('/docs/openapi.json').expect(200);
      expect(direct.body.servers).toEqual([{ url: '/', description: 'This server' }]);
      const proxied = await proxy.http().get('/docs/openapi.json').set('X-Forwarded-Prefix', '/auth').expect(200);
      expect(proxied.body.servers).toEqual([{ url: '/auth/', description: 'This server' }]);
      const hostile = await proxy.http().get('/docs/openapi.json').set('X-Forwarded-Prefix', 'javascript:alert(1)').expect(200);
      expect(hostile.body.servers).toEqual([{ url: '/', description: 'This server' }]);
    } finally {
      await proxy.close();
    }
  });

  it('sets security headers, relaxing inline styles for Swagger UI only', async () => {
    const response = await t.http().get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    const docs = await t.http().get('/docs');
    expect(docs.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(docs.headers['content-security-policy']).toContain("script-src 'self';");
  });

  it('answers a malformed JSON body with 400 validation_failed', async () => {
    const response = await t.http().post('/v1/auth/login').set('content-type', 'application/json').send('{"email":');
    expect(response.status).toBe(400);
    expectErrorShape(response.body, 400, 'validation_failed');
  });

  it('rejects unknown body fields with details', async () => {
    const response = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'a@example.com', password: 'long enough', admin: true });
    expect(response.status).toBe(400);
    expectErrorShape(response.body, 400, 'validation_failed');
    expect(response.body.details).toEqual([{ field: 'admin', message: 'property admin should not exist' }]);
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const response = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'a@example.com', password: 'x'.repeat(4096) });
    expect(response.status).toBe(413);
    expectErrorShape(response.body, 413, 'payload_too_large');
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await t.http().post('/v1/auth/login').set('content-type', 'text/plain').send('hello');
    expect(response.status).toBe(415);
    expectErrorShape(response.body, 415, 'unsupported_media_type');
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const response = await t.http().post('/v1/auth/login').set('content-type', 'application/json').send('[1,2]');
    expect(response.status).toBe(400);
    expectErrorShape(response.body, 400, 'validation_failed');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const response = await t.http().get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expectErrorShape(response.body, 404, 'not_found');
  });

  it('echoes a plain X-Request-Id', async () => {
    const response = await t.http().get('/health').set('x-request-id', 'abc-123');
    expect(response.headers['x-request-id']).toBe('abc-123');
  });
});

describe('Empty bodies labelled as JSON', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('are no body: a DELETE works, and a POST that needs fields says which', async () => {
    const signup = await t.http().post('/v1/auth/signup').set('content-type', 'application/json').send('');
    expect(signup.status).toBe(400);
    expect(signup.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['email', 'password']));

    const user = await signUp(t);
    const { id } = await createApiKey(t, user.accessToken);
    await t
      .http()
      .delete(`/v1/api-keys/${id}`)
      .set('Authorization', `Bearer ${user.accessToken}`)
      .set('content-type', 'application/json')
      .expect(200);
    await t
      .http()
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .set('content-type', 'application/json')
      .expect(204);
  });

  it('still refuses malformed JSON and prototype poisoning', async () => {
    const poisoned = await t
      .http()
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":"a@example.com","password":"long enough","__proto__":{"admin":true}}');
    expect(poisoned.status).toBe(400);
    expect(poisoned.body.code).toBe('validation_failed');
  });
});

describe('Hostile requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses deeply nested JSON with 400, not a stack overflow', async () => {
    const nested = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const response = await t
      .http()
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"email":${nested},"password":"long enough"}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('answers a malformed URL in the API error shape', async () => {
    const response = await t.http().get('/v1/api-keys/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      expect.objectContaining({ statusCode: 400, code: 'validation_failed', message: 'The URL is malformed' }),
    );
  });
});
