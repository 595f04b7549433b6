import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { LastUsedRecorder } from '../src/api-keys/last-used.recorder';
import { bearer, createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const KEY_SHAPE = /^mgp_[0-9a-f]{40}$/;

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { API_KEY_LAST_USED_FLUSH_MS: '100' } });
  });
  afterAll(() => t.close());

  it('creates a key, shown once, with a valid checksum', async () => {
    const user = await signUp(t);
    const response = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: '  CI Pipeline ' }).expect(201);
    const key: string = response.body.key;
    expect(key).toMatch(KEY_SHAPE);
    expect(crc32(key.slice(0, 36)).toString(16).padStart(8, '0')).toBe(key.slice(36));
    expect(response.body).toEqual({
      id: expect.any(String),
      name: 'CI Pipeline',
      key_prefix: key.slice(0, 12),
      is_active: true,
      created_at: expect.any(String),
      last_used_at: null,
      revoked_at: null,
      revoked_reason: null,
      scopes: ['*'],
      expires_at: null,
      key,
    });

    const list = await t.http().get('/v1/api-keys').set(bearer(user.accessToken)).expect(200);
    const one = await t.http().get(`/v1/api-keys/${response.body.id}`).set(bearer(user.accessToken)).expect(200);
    for (const text of [list.text, one.text]) expect(text).not.toContain(key);
    expect(list.body.keys[0]).not.toHaveProperty('key');
    expect(list.body.keys[0].key_prefix).toHaveLength(12);
  });

  it('stores only the SHA-256 digest and the display prefix', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    const [row] = await t.dataSource.query(`SELECT * FROM api_keys WHERE id = $1`, [id]);
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(row.key_prefix).toBe(key.slice(0, 12));
    const everything = JSON.stringify(await t.dataSource.query(`SELECT * FROM api_keys`));
    expect(everything).not.toContain(key.slice(12));
  });

  it('authenticates with the key, and whoami says api_key', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    const whoami = await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
    expect(whoami.body).toEqual({
      user: expect.objectContaining({ id: user.userId, email: user.email }),
      auth: { method: 'api_key', api_key_id: id, scopes: ['*'] },
    });
  });

  it('lets both credential kinds manage keys', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    const created = await createApiKey(t, key, 'made with a key');
    await t.http().patch(`/v1/api-keys/${created.id}`).set(bearer(key)).send({ name: 'renamed' }).expect(200);
    await t.http().delete(`/v1/api-keys/${created.id}`).set(bearer(key)).expect(200);
  });

  it('validates names', async () => {
    const user = await signUp(t);
    for (const name of ['', '   ', 'x'.repeat(65), 'tab\there', 'nul\u0000', 42]) {
      const response = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name }).expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.details[0].field).toBe('name');
    }
    await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({}).expect(400);
    await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'x'.repeat(64) }).expect(201);
  });

  it('renames a key', async () => {
    const user = await signUp(t);
    const { id } = await createApiKey(t, user.accessToken);
    const response = await t.http().patch(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).send({ name: 'Deploy bot' }).expect(200);
    expect(response.body.name).toBe('Deploy bot');
    expect(response.body).not.toHaveProperty('key');
  });

  it('revokes at once, idempotently; the key then gets api_key_revoked', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);

    const revoked = await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
    expect(revoked.body).toEqual(expect.objectContaining({ id, is_active: false, revoked_at: expect.any(String) }));
    const again = await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);

    const response = await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(401);
    expect(response.body.code).toBe('api_key_revoked');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="magpipe", error="invalid_token"/);
  });

  it('lists active keys first, newest first, and keeps revoked keys listed', async () => {
    const user = await signUp(t);
    const first = await createApiKey(t, user.accessToken, 'first');
    const second = await createApiKey(t, user.accessToken, 'second');
    const third = await createApiKey(t, user.accessToken, 'third');
    await t.http().delete(`/v1/api-keys/${third.id}`).set(bearer(user.accessToken)).expect(200);
    const list = await t.http().get('/v1/api-keys').set(bearer(user.accessToken)).expect(200);
    expect(list.body.keys.map((k: { id: string }) => k.id)).toEqual([second.id, first.id, third.id]);
    expect(list.body.keys.map((k: { is_active: boolean }) => k.is_active)).toEqual([true, true, false]);
  });

  it("answers another user's key with 404 and a malformed id with 400", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const { id } = await createApiKey(t, bob.accessToken);
    for (const call of [
      t.http().get(`/v1/api-keys/${id}`),
      t.http().patch(`/v1/api-keys/${id}`).send({ name: 'mine now' }),
      t.http().delete(`/v1/api-keys/${id}`),
    ]) {
      const response = await call.set(bearer(alice.accessToken)).expect(404);
      expect(response.body.code).toBe('not_found');
    }
    const response = await t.http().get('/v1/api-keys/not-a-uuid').set(bearer(alice.accessToken)).expect(400);
    expect(response.body.code).toBe('validation_failed');
    await t.http().get('/v1/api-keys/00000000-0000-0000-0000-000000000000').set(bearer(alice.accessToken)).expect(404);
  });

  it('holds the limit of 10 active keys under 20 concurrent creates', async () => {
    const user = await signUp(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: `key ${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    expect(responses.find((r) => r.status === 409)!.body.code).toBe('api_key_limit_reached');
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL`,
      [user.userId],
    );
    expect(row.n).toBe(10);

    const victim = responses.find((r) => r.status === 201)!.body.id;
    await t.http().delete(`/v1/api-keys/${victim}`).set(bearer(user.accessToken)).expect(200);
    await createApiKey(t, user.accessToken, 'the eleventh');
    await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'one too many' }).expect(409);
  });

  it('refuses a logout with an API key: 403 session_required', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    const response = await t.http().post('/v1/auth/logout').set(bearer(key)).send({}).expect(403);
    expect(response.body.code).toBe('session_required');
  });

  describe('bad keys', () => {
    let queries: jest.SpyInstance;
    beforeEach(() => {
      queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    });
    afterEach(() => queries.mockRestore());

    it('rejects a key with a bad checksum or shape without querying the database', async () => {
      const user = await signUp(t);
      const { key } = await createApiKey(t, user.accessToken);
      const flipped = `${key.slice(0, 36)}${key[36] === '0' ? '1' : '0'}${key.slice(37)}`;
      await t.app.get(LastUsedRecorder).flush(); // nothing left for a timed flush to write meanwhile
      await t.mailSettled();
      queries.mockClear();
      for (const bad of [flipped, `${key}0`, key.slice(0, -1), key.toUpperCase().replace('MGP_', 'mgp_'), 'mgp_', 'mgp_zz']) {
        const response = await t.http().get('/v1/auth/whoami').set(bearer(bad)).expect(401);
        expect(response.body.code).toBe('invalid_token');
      }
      expect(queries).not.toHaveBeenCalled();
    });

    it('rejects an unknown well-formed key with invalid_token', async () => {
      const body = `mgp_${'ab'.repeat(16)}`;
      const unknown = `${body}${crc32(body).toString(16).padStart(8, '0')}`;
      const response = await t.http().get('/v1/auth/whoami').set(bearer(unknown)).expect(401);
      expect(response.body.code).toBe('invalid_token');
    });
  });

  it('records last_used_at off the request path, within seconds', async () => {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    // The recorder's own timer may flush during the request; such a window proves nothing, so it is tried again.
    const recorder = t.app.get(LastUsedRecorder);
    for (let attempt = 1; ; attempt++) {
      const flushes = jest.spyOn(recorder, 'flush');
      const queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
      try {
        await t.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
        if (flushes.mock.calls.length > 0 && attempt < 5) continue;
        expect(flushes).not.toHaveBeenCalled();
        expect(queries.mock.calls.filter(([sql]) => /UPDATE\s+"?api_keys/i.test(sql))).toHaveLength(0);
        break;
      } finally {
        queries.mockRestore();
        flushes.mockRestore();
      }
    }
    const deadline = Date.now() + 5000;
    let lastUsedAt: string | null = null;
    while (!lastUsedAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const list = await t.http().get('/v1/api-keys').set(bearer(user.accessToken)).expect(200);
      lastUsedAt = list.body.keys.find((k: { id: string }) => k.id === id).last_used_at;
    }
    expect(lastUsedAt).toEqual(expect.any(String));
  });
});

describe('API keys under a configured limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { API_KEY_LIMIT: '2' } });
  });
  afterAll(() => t.close());

  it('holds API_KEY_LIMIT, and says what the limit is', async () => {
    const user = await signUp(t);
    await createApiKey(t, user.accessToken, 'one');
    await createApiKey(t, user.accessToken, 'two');
    const third = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'three' }).expect(409);
    expect(third.body).toEqual(expect.objectContaining({ code: 'api_key_limit_reached', message: expect.stringContaining('at most 2 active') }));
  });
});
