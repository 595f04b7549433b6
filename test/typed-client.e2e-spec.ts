import createClient from 'openapi-fetch';
import { paths } from './client/openapi-types';
import { startTestApp, TestApp } from './support/test-app';
import { uniqueEmail } from './support/factories';

/**
 * A client compiled from openapi.json (`npm run client`): a breaking change in
 * the spec breaks this file's type-check before it breaks a customer.
 */
describe('Typed client generated from the spec', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
  });
  afterAll(() => t.close());

  it('signs up, creates a key and calls whoami with it', async () => {
    const client = createClient<paths>({ baseUrl });

    const signup = await client.POST('/v1/auth/signup', {
      body: { email: uniqueEmail(), password: 'correct horse battery', name: 'Typed' },
    });
    expect(signup.response.status).toBe(201);
    const accessToken: string = signup.data!.access_token;

    const created = await client.POST('/v1/api-keys', {
      body: { name: 'typed client' },
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(created.response.status).toBe(201);
    const key: string = created.data!.key;
    expect(key).toMatch(/^mgp_[0-9a-f]{40}$/);

    const whoami = await client.GET('/v1/auth/whoami', { headers: { Authorization: `Bearer ${key}` } });
    expect(whoami.data?.auth.method).toBe('api_key');
    expect(whoami.data?.auth.api_key_id).toBe(created.data!.id);

    const denied = await client.GET('/v1/auth/whoami', { headers: { Authorization: 'Bearer nope' } });
    expect(denied.response.status).toBe(401);
    expect(denied.error?.code).toBe('invalid_token');
  });
});
