/**
 * Least-privilege keys: scopes, no escalation, expiry, rolling with an
 * overlap, and leak reports that anyone may file.
 */
import { bearer, logIn, signUp, SignedUpUser } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const BUILT_IN_SCOPES = ['api_keys:read', 'api_keys:write', 'audit:read', 'sessions:read', 'sessions:write', 'users:read', 'users:write'];

interface KeyBody {
  id: string;
  key: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
  is_active: boolean;
  revoked_reason: string | null;
}

describe('Least-privilege keys', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ captureLogs: true })));
  afterAll(() => t.close());

  const create = (token: string, body: object) => t.http().post('/v1/api-keys').set(bearer(token)).send(body);
  const createKey = async (token: string, body: object = {}): Promise<KeyBody> =>
    (await create(token, { name: 'CI Pipeline', ...body }).expect(201)).body as KeyBody;
  const whoami = (token: string) => t.http().get('/v1/auth/whoami').set(bearer(token));
  const listed = async (token: string, id: string): Promise<KeyBody> =>
    ((await t.http().get('/v1/api-keys').set(bearer(token)).expect(200)).body.keys as KeyBody[]).find((key) => key.id === id)!;
  const eventsOf = async (token: string) =>
    (await t.http().get('/v1/audit-events').set(bearer(token)).expect(200)).body.events as { type: string; actor: { method: string }; subject: { api_key_id?: string } }[];
  const inSeconds = (seconds: number) => new Date(t.clock.nowMs() + seconds * 1000).toISOString();
  /** Moves the service's clock, and back afterwards whatever happens. */
  const later = async (seconds: number, check: () => Promise<void>) => {
    t.clock.advance(seconds);
    try {
      await check();
    } finally {
      t.clock.advance(-seconds);
    }
  };

  describe('scopes', () => {
    it('lists the scopes a key can hold, each with what it allows', async () => {
      const user = await signUp(t);
      const { body } = await t.http().get('/v1/api-keys/scopes').set(bearer(user.accessToken)).expect(200);
      expect(body.scopes.map((scope: { name: string }) => scope.name)).toEqual(BUILT_IN_SCOPES);
      for (const scope of body.scopes) expect(scope.description.length).toBeGreaterThan(10);
    });

    it('gives a key created without scopes full access, as before, and a session every scope', async () => {
      const user = await signUp(t);
      const full = await createKey(user.accessToken);
      expect(full.scopes).toEqual(['*']);
      expect((await whoami(full.key).expect(200)).body.auth.scopes).toEqual(['*']);
      expect((await whoami(user.accessToken).expect(200)).body.auth.scopes).toEqual(['*']);
    });

    it('keeps a scoped key to its scopes: 403 insufficient_scope, with the scope in the challenge', async () => {
      const user = await signUp(t);
      const reader = await createKey(user.accessToken, { scopes: ['api_keys:read', 'users:read', 'api_keys:read'] });
      expect(reader.scopes).toEqual(['api_keys:read', 'users:read']);
      expect((await whoami(reader.key).expect(200)).body.auth).toMatchObject({ method: 'api_key', api_key_id: reader.id, scopes: ['api_keys:read', 'users:read'] });
      await t.http().get('/v1/api-keys').set(bearer(reader.key)).expect(200);
      await t.http().get('/v1/users/me').set(bearer(reader.key)).expect(200);

      const refusals = [
        await create(reader.key, { name: 'more' }),
        await t.http().patch('/v1/users/me').set(bearer(reader.key)).send({ name: 'Renamed' }),
        await t.http().get('/v1/auth/sessions').set(bearer(reader.key)),
        await t.http().delete(`/v1/api-keys/${reader.id}`).set(bearer(reader.key)),
        await t.http().get('/v1/audit-events').set(bearer(reader.key)),
      ];
      expect(refusals.map((response) => [response.status, response.body.code as string])).toEqual(Array(5).fill([403, 'insufficient_scope']));
      expect(refusals[1].headers['www-authenticate']).toBe('Bearer realm="magpipe", error="insufficient_scope", scope="users:write"');
      expect(refusals[1].body.message).toContain('users:write');
      expect((await listed(user.accessToken, reader.id)).is_active).toBe(true); // its own revoke was refused
    });

    it('refuses unknown scopes, an empty list and a list that is not one, with 400', async () => {
      const user = await signUp(t);
      for (const scopes of [['api_keys:read', 'api_keys:admin'], [], 'api_keys:read', [42], ['API_KEYS:READ']]) {
        const response = await create(user.accessToken, { name: 'bad', scopes }).expect(400);
        expect(response.body.code).toBe('validation_failed');
        expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain('scopes');
      }
      expect((await createKey(user.accessToken, { scopes: ['*', 'audit:read'] })).scopes).toEqual(['*']);
    });
  });

  describe('no escalation', () => {
    let user: SignedUpUser;
    let writer: KeyBody;
    beforeAll(async () => {
      user = await signUp(t);
      writer = await createKey(user.accessToken, { scopes: ['api_keys:write', 'audit:read'] });
    });

    it('lets a key create keys within its own scopes', async () => {
      expect((await createKey(writer.key, { scopes: ['audit:read'] })).scopes).toEqual(['audit:read']);
      expect((await createKey(writer.key, { scopes: ['api_keys:write', 'audit:read'] })).scopes).toEqual(['api_keys:write', 'audit:read']);
    });

    it('refuses it a key with a scope it lacks, or full access, whether asked for or by default', async () => {
      for (const body of [{ scopes: ['users:write'] }, { scopes: ['audit:read', 'sessions:read'] }, { scopes: ['*'] }, {}]) {
        const response = await create(writer.key, { name: 'wider', ...body }).expect(403);
        expect(response.body.code).toBe('insufficient_scope');
      }
    });

    it('refuses it to roll a key wider than itself, and lets a session or a full-access key do it', async () => {
      const full = await createKey(user.accessToken);
      const wider = await createKey(user.accessToken, { scopes: ['users:read', 'audit:read'] });
      for (const id of [full.id, wider.id]) {
        expect((await t.http().post(`/v1/api-keys/${id}/roll`).set(bearer(writer.key)).send({}).expect(403)).body.code).toBe('insufficient_scope');
      }
      expect((await listed(user.accessToken, full.id)).expires_at).toBeNull(); // nothing changed
      await t.http().post(`/v1/api-keys/${wider.id}/roll`).set(bearer(full.key)).send({}).expect(201);
      await t.http().post(`/v1/api-keys/${full.id}/roll`).set(bearer(user.accessToken)).send({}).expect(201);
    });
  });

  describe('expiry', () => {
    it('keeps a key working until expires_at, then answers 401 api_key_expired and lists it inactive', async () => {
      const user = await signUp(t);
      const expiresAt = inSeconds(3600);
      const key = await createKey(user.accessToken, { expires_at: expiresAt });
      expect(key.expires_at).toBe(expiresAt);
      await whoami(key.key).expect(200);
      await later(3599, async () => {
        await whoami(key.key).expect(200);
      });
      await later(3601, async () => {
        const refused = await whoami(key.key).expect(401);
        expect(refused.body.code).toBe('api_key_expired');
        expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
        const session = await logIn(t, user.email, user.password); // the first one has expired too
        const shown = await listed(session.accessToken, key.id);
        expect(shown).toMatchObject({ is_active: false, revoked_reason: null });
        const keys = (await t.http().get('/v1/api-keys').set(bearer(session.accessToken)).expect(200)).body.keys as KeyBody[];
        expect(keys.at(-1)!.id).toBe(key.id); // inactive keys after active ones
      });
    });

    it('never expires a key created without expires_at', async () => {
      const user = await signUp(t);
      const key = await createKey(user.accessToken);
      expect(key.expires_at).toBeNull();
      await later(10 * 365 * 86_400, async () => {
        await whoami(key.key).expect(200);
      });
    });

    it('refuses an expires_at in the past, now, or not a date, with 400', async () => {
      const user = await signUp(t);
      for (const expires_at of [inSeconds(-60), inSeconds(0), 'tomorrow', '2027-02-30T00:00:00Z', 1767225600, '']) {
        const response = await create(user.accessToken, { name: 'bad', expires_at }).expect(400);
        expect(response.body).toMatchObject({ code: 'validation_failed' });
        expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain('expires_at');
      }
    });

    it('stops counting an expired key against the limit', async () => {
      const user = await signUp(t);
      for (let i = 0; i < 9; i++) await createKey(user.accessToken);
      await createKey(user.accessToken, { expires_at: inSeconds(60) });
      expect((await create(user.accessToken, { name: 'eleventh' }).expect(409)).body.code).toBe('api_key_limit_reached');
      await later(61, async () => {
        await createKey(user.accessToken, { name: 'eleventh' });
      });
    });
  });

  describe('rolling', () => {
    const roll = (token: string, id: string, body: object = {}) => t.http().post(`/v1/api-keys/${id}/roll`).set(bearer(token)).send(body);

    it('returns a new key with the same name and scopes, and keeps the old one working for 24 hours by default', async () => {
      const user = await signUp(t);
      const old = await createKey(user.accessToken, { name: 'Deploy bot', scopes: ['audit:read'] });
      const response = await roll(user.accessToken, old.id).expect(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const rolled = response.body as KeyBody;
      expect(rolled).toMatchObject({ name: 'Deploy bot', scopes: ['audit:read'], expires_at: null, is_active: true });
      expect(rolled.id).not.toBe(old.id);
      expect(rolled.key).not.toBe(old.key);
      const oldNow = await listed(user.accessToken, old.id);
      expect(Math.abs(Date.parse(oldNow.expires_at!) - (t.clock.nowMs() + 86_400_000))).toBeLessThan(5000);
      await whoami(old.key).expect(200);
      await whoami(rolled.key).expect(200);
      await later(86_401, async () => {
        expect((await whoami(old.key).expect(401)).body.code).toBe('api_key_expired');
        await whoami(rolled.key).expect(200);
      });

      const events = await eventsOf(user.accessToken);
      expect(events[0]).toMatchObject({ type: 'api_key.rolled', subject: { api_key_id: old.id }, actor: { method: 'session' } });
      expect(events[1]).toMatchObject({ type: 'api_key.created', subject: { api_key_id: rolled.id } });
    });

    it('ends the old key at once with expires_in_s 0, and takes any overlap up to 7 days', async () => {
      const user = await signUp(t);
      const now = await createKey(user.accessToken);
      await roll(user.accessToken, now.id, { expires_in_s: 0 }).expect(201);
      expect((await whoami(now.key).expect(401)).body.code).toBe('api_key_expired');

      const week = await createKey(user.accessToken);
      await roll(user.accessToken, week.id, { expires_in_s: 604_800 }).expect(201);
      await later(604_799, async () => {
        await whoami(week.key).expect(200);
      });
    });

    it('never lets a roll lengthen the old key, and gives the new one as long a lifetime as the old had', async () => {
      const user = await signUp(t);
      const old = await createKey(user.accessToken, { expires_at: inSeconds(3600) });
      const rolled = (await roll(user.accessToken, old.id, { expires_in_s: 86_400 }).expect(201)).body as KeyBody;
      expect((await listed(user.accessToken, old.id)).expires_at).toBe(old.expires_at);
      expect(Math.abs(Date.parse(rolled.expires_at!) - (t.clock.nowMs() + 3_600_000))).toBeLessThan(5000);
    });

    it('needs no free slot', async () => {
      const user = await signUp(t);
      const keys = [];
      for (let i = 0; i < 10; i++) keys.push(await createKey(user.accessToken));
      await roll(user.accessToken, keys[0].id).expect(201);
    });

    it('refuses a revoked or an expired key with 409 api_key_inactive, another user\'s with 404, and bad overlaps with 400', async () => {
      const user = await signUp(t);
      const revoked = await createKey(user.accessToken);
      await t.http().delete(`/v1/api-keys/${revoked.id}`).set(bearer(user.accessToken)).expect(200);
      expect((await roll(user.accessToken, revoked.id).expect(409)).body.code).toBe('api_key_inactive');
      const expiring = await createKey(user.accessToken, { expires_at: inSeconds(60) });
      await later(61, async () => {
        expect((await roll(user.accessToken, expiring.id).expect(409)).body.code).toBe('api_key_inactive');
      });
      const other = await signUp(t);
      expect((await roll(other.accessToken, expiring.id).expect(404)).body.code).toBe('not_found');
      for (const expires_in_s of [-1, 604_801, 1.5, '3600', true]) {
        expect((await roll(user.accessToken, expiring.id, { expires_in_s }).expect(400)).body.code).toBe('validation_failed');
      }
    });

    it('rolls with no body at all', async () => {
      const user = await signUp(t);
      const old = await createKey(user.accessToken);
      await t.http().post(`/v1/api-keys/${old.id}/roll`).set(bearer(user.accessToken)).expect(201);
    });
  });

  describe('leak reports', () => {
    const ACCEPTED = { message: 'Every listed key that was active is revoked.' };
    const report = (keys: unknown) => t.http().post('/v1/api-keys/report-leaked').send({ keys });

    it('revokes every listed active key at once, without a credential, as reported_leaked', async () => {
      const user = await signUp(t);
      const leaked = await createKey(user.accessToken, { name: 'Leaked' });
      const alsoLeaked = await createKey(user.accessToken, { name: 'Also leaked' });
      const kept = await createKey(user.accessToken, { name: 'Kept' });
      await whoami(leaked.key).expect(200);
      expect((await report([leaked.key, alsoLeaked.key, leaked.key]).expect(202)).body).toEqual(ACCEPTED);
      expect((await whoami(leaked.key).expect(401)).body.code).toBe('api_key_revoked');
      expect((await whoami(alsoLeaked.key).expect(401)).body.code).toBe('api_key_revoked');
      await whoami(kept.key).expect(200);
      expect(await listed(user.accessToken, leaked.id)).toMatchObject({ is_active: false, revoked_reason: 'reported_leaked' });

      const events = (await eventsOf(user.accessToken)).filter((event) => event.type === 'api_key.reported_leaked');
      expect(events.map((event) => event.subject.api_key_id).sort()).toEqual([leaked.id, alsoLeaked.id].sort());
      expect(events[0].actor).toEqual({ method: 'anonymous' });
    });

    it('answers 202 with the same body for unknown, malformed, revoked and expired keys, and changes nothing', async () => {
      const user = await signUp(t);
      const revoked = await createKey(user.accessToken);
      await t.http().delete(`/v1/api-keys/${revoked.id}`).set(bearer(user.accessToken)).expect(200);
      const expiring = await createKey(user.accessToken, { expires_at: inSeconds(60) });
      const unknown = `mgp_${'0'.repeat(40)}`;
      for (const keys of [[unknown], ['not a key'], [revoked.key], [`${revoked.key} `]]) {
        expect((await report(keys).expect(202)).body).toEqual(ACCEPTED);
      }
      expect((await listed(user.accessToken, revoked.id)).revoked_reason).toBe('revoked');
      await later(61, async () => {
        expect((await report([expiring.key]).expect(202)).body).toEqual(ACCEPTED);
      });
      expect((await listed(user.accessToken, expiring.id)).revoked_reason).toBeNull();
    });

    it('takes 1 to 100 strings: more, none or other things are 400', async () => {
      const key = `mgp_${'0'.repeat(40)}`;
      await report(Array(100).fill(key)).expect(202);
      for (const keys of [Array(101).fill(key), [], key, [42], undefined, ['x'.repeat(201)]]) {
        expect((await report(keys).expect(400)).body.code).toBe('validation_failed');
      }
    });

    it('writes no key to the log, nor to an error', async () => {
      const user = await signUp(t);
      const leaked = await createKey(user.accessToken);
      await report([leaked.key]).expect(202);
      const refused = await report([leaked.key, 42]).expect(400);
      expect(JSON.stringify(refused.body)).not.toContain(leaked.key);
      expect(t.logs.join('\n')).not.toContain(leaked.key.slice(12));
    });
  });
});

describe('Leak reports under a low rate limit', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { AUTH_RATE_LIMIT_MAX: '2' } })));
  afterAll(() => t.close());

  it('are rate limited like sign-in', async () => {
    const keys = [`mgp_${'0'.repeat(40)}`];
    for (let i = 0; i < 2; i++) await t.http().post('/v1/api-keys/report-leaked').send({ keys }).expect(202);
    const limited = await t.http().post('/v1/api-keys/report-leaked').send({ keys }).expect(429);
    expect(limited.body.code).toBe('rate_limited');
  });
});
