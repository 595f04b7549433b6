/**
 * Security activity: every audited action writes exactly one event of its
 * type, with its actor and subject, in the transaction of the change; the
 * owner reads them newest first with a stable cursor; nobody else can; and
 * no secret is ever in one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditLog } from '../src/audit/audit-log';
import { AuditRetention } from '../src/audit/audit-retention';
import { bearer, createApiKey, logIn, signUp, SignedUpUser } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, serverUrl } from './support/test-database';

interface Event {
  id: string;
  type: string;
  created_at: string;
  ip: string | null;
  user_agent: string | null;
  actor: { method: string; session_id?: string; api_key_id?: string };
  subject: { api_key_id?: string; session_id?: string };
}

describe('Security activity (audit log)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { API_KEY_LIMIT: '10' } })));
  afterAll(() => t.close());

  async function eventsOf(token: string, query = ''): Promise<{ events: Event[]; next_cursor: string | null }> {
    await t.app.get(AuditLog).flush();
    return (await t.http().get(`/v1/audit-events${query}`).set(bearer(token)).expect(200)).body as { events: Event[]; next_cursor: string | null };
  }

  it('records each action once, with who did it and to what, newest first', async () => {
    const user = await signUp(t);
    const signedUp = (await eventsOf(user.accessToken)).events;
    expect(signedUp).toEqual([
      expect.objectContaining({ type: 'user.signed_up', actor: { method: 'anonymous' }, subject: { session_id: user.sessionId } }),
    ]);
    expect(signedUp[0].ip).toEqual(expect.any(String));

    const other = await logIn(t, user.email, user.password);
    await t.http().post('/v1/auth/login').set('User-Agent', 'Attacker/1.0').send({ email: user.email, password: 'not the password' }).expect(401);
    const { id: keyId, key } = await createApiKey(t, user.accessToken, 'CI Pipeline');
    await t.http().patch(`/v1/api-keys/${keyId}`).set(bearer(key)).send({ name: 'Deploys' }).expect(200);
    await t.http().delete(`/v1/api-keys/${keyId}`).set(bearer(user.accessToken)).expect(200);
    await t.http().delete(`/v1/api-keys/${keyId}`).set(bearer(user.accessToken)).expect(200); // already revoked: nothing changes
    await t.http().delete(`/v1/auth/sessions/${other.sessionId}`).set(bearer(user.accessToken)).expect(204);

    const bySession = { method: 'session', session_id: user.sessionId };
    expect((await eventsOf(user.accessToken)).events).toEqual([
      expect.objectContaining({ type: 'session.ended', actor: bySession, subject: { session_id: other.sessionId } }),
      expect.objectContaining({ type: 'api_key.revoked', actor: bySession, subject: { api_key_id: keyId } }),
      expect.objectContaining({ type: 'api_key.renamed', actor: { method: 'api_key', api_key_id: keyId }, subject: { api_key_id: keyId } }),
      expect.objectContaining({ type: 'api_key.created', actor: bySession, subject: { api_key_id: keyId } }),
      expect.objectContaining({ type: 'user.login_failed', actor: { method: 'anonymous' }, subject: {}, user_agent: 'Attacker/1.0' }),
      expect.objectContaining({ type: 'user.login_succeeded', actor: { method: 'anonymous' }, subject: { session_id: other.sessionId } }),
      expect.objectContaining({ type: 'user.signed_up' }),
    ]);
  });

  it('records every session a logout ends, and a refresh token used again', async () => {
    const user = await signUp(t);
    const second = await logIn(t, user.email, user.password);
    const third = await logIn(t, user.email, user.password);
    await t.http().post('/v1/auth/logout').set(bearer(user.accessToken)).send({ scope: 'others' }).expect(204);
    const ended = (await eventsOf(user.accessToken)).events.filter((event) => event.type === 'session.ended');
    expect(ended.map((event) => event.subject.session_id).sort()).toEqual([second.sessionId, third.sessionId].sort());
    expect(ended.every((event) => event.actor.session_id === user.sessionId)).toBe(true);

    const replayed = await logIn(t, user.email, user.password);
    await t.http().post('/v1/auth/refresh').send({ refresh_token: replayed.refreshToken }).expect(200);
    t.clock.advance(60);
    try {
      await t.http().post('/v1/auth/refresh').send({ refresh_token: replayed.refreshToken }).expect(401);
    } finally {
      t.clock.advance(-60);
    }
    const events = (await eventsOf(user.accessToken)).events;
    expect(events.filter((event) => event.type === 'session.refresh_reuse_detected')).toEqual([
      expect.objectContaining({ actor: { method: 'anonymous' }, subject: { session_id: replayed.sessionId } }),
    ]);

    await t.http().post('/v1/auth/logout').set(bearer(user.accessToken)).send({}).expect(204);
    const mine = await logIn(t, user.email, user.password);
    const local = (await eventsOf(mine.accessToken)).events.find((event) => event.subject.session_id === user.sessionId);
    expect(local).toEqual(expect.objectContaining({ type: 'session.ended', actor: { method: 'session', session_id: user.sessionId } }));
  });

  it('writes exactly as many api_key.created events as keys were created, under 20 concurrent creates at the limit', async () => {
    const user = await signUp(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: `key ${i}` })),
    );
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(10);
    const events = (await eventsOf(user.accessToken, '?limit=100')).events.filter((event) => event.type === 'api_key.created');
    expect(events.map((event) => event.subject.api_key_id).sort()).toEqual(created.map((response) => (response.body as { id: string }).id).sort());
  });

  it('leaves no event behind a change whose transaction fails', async () => {
    const user = await signUp(t);
    const { id } = await createApiKey(t, user.accessToken);
    const audit = t.app.get(AuditLog);
    const record = audit.record.bind(audit);
    // The event is written, then the transaction fails: both must be undone.
    const failing = jest.spyOn(audit, 'record').mockImplementationOnce(async (...args) => {
      await record(...args);
      throw new Error('the transaction fails after the event was written');
    });
    try {
      await t.http().delete(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(500);
    } finally {
      failing.mockRestore();
    }
    expect((await t.http().get(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200)).body.is_active).toBe(true);
    expect((await eventsOf(user.accessToken)).events.map((event) => event.type)).not.toContain('api_key.revoked');
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE subject_api_key_id = $1`, [id]);
    expect(count).toBe(1); // api_key.created
  });

  it('never holds a secret: no key, password or token of the flow is in the events', async () => {
    const password = 'a password nobody may see';
    const user = await signUp(t, { password });
    const { id, key } = await createApiKey(t, user.accessToken);
    await t.http().patch(`/v1/api-keys/${id}`).set(bearer(key)).send({ name: 'renamed' }).expect(200);
    const refreshed = await t.http().post('/v1/auth/refresh').send({ refresh_token: user.refreshToken }).expect(200);
    await t.http().post('/v1/auth/login').send({ email: user.email, password: `${password}!` }).expect(401);
    await t.http().delete(`/v1/api-keys/${id}`).set(bearer(refreshed.body.access_token)).expect(200);

    const listed = JSON.stringify(await eventsOf(refreshed.body.access_token));
    const stored = JSON.stringify(await t.dataSource.query(`SELECT * FROM audit_events WHERE user_id = $1`, [user.userId]));
    for (const secret of [key, key.slice(12), password, user.accessToken, user.refreshToken, refreshed.body.access_token, refreshed.body.refresh_token]) {
      expect(listed).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });

  it("never shows another user's events", async () => {
    const ada = await signUp(t);
    const grace = await signUp(t);
    await createApiKey(t, ada.accessToken);
    const graceEvents = (await eventsOf(grace.accessToken)).events;
    expect(graceEvents.map((event) => event.type)).toEqual(['user.signed_up']);
    expect(graceEvents[0].subject.session_id).toBe(grace.sessionId);
  });

  describe('paging', () => {
    let user: SignedUpUser;
    let keyId: string;
    const rename = (name: string) => t.http().patch(`/v1/api-keys/${keyId}`).set(bearer(user.accessToken)).send({ name }).expect(200);

    beforeAll(async () => {
      user = await signUp(t);
      keyId = (await createApiKey(t, user.accessToken)).id;
      for (let i = 0; i < 6; i++) await rename(`name ${i}`);
    });

    it('pages newest first with a cursor that stays stable while events arrive', async () => {
      const everything = (await eventsOf(user.accessToken)).events;
      expect(everything).toHaveLength(8);

      const first = await eventsOf(user.accessToken, '?limit=3');
      expect(first.events).toEqual(everything.slice(0, 3));
      expect(first.next_cursor).toEqual(expect.any(String));
      for (let i = 0; i < 3; i++) await rename(`newer ${i}`); // arrive between the pages

      const seen = [...first.events];
      let cursor = first.next_cursor;
      while (cursor) {
        const page = await eventsOf(user.accessToken, `?limit=3&cursor=${encodeURIComponent(cursor)}`);
        seen.push(...page.events);
        cursor = page.next_cursor;
      }
      expect(seen).toEqual(everything);

      const fresh = await eventsOf(user.accessToken, '?limit=3');
      expect(fresh.events.map((event) => event.type)).toEqual(['api_key.renamed', 'api_key.renamed', 'api_key.renamed']);
      expect(fresh.events.map((event) => event.id)).not.toContain(everything[0].id);
    });

    it('refuses a cursor it did not give, and a limit outside 1 to 100', async () => {
      const forged = ['1:0', '-1:1', '1:99999999999999999999', '1:1 OR 1=1', 'x:1'].map((text) => `?cursor=${Buffer.from(text).toString('base64url')}`);
      for (const query of ['?cursor=nonsense', ...forged, '?limit=0', '?limit=101', '?limit=ten', '?offset=3']) {
        const response = await t.http().get(`/v1/audit-events${query}`).set(bearer(user.accessToken)).expect(400);
        expect(response.body.code).toBe('validation_failed');
      }
      await t.http().get('/v1/audit-events?limit=100').set(bearer(user.accessToken)).expect(200);
    });
  });

  it('deletes events older than AUDIT_RETENTION_DAYS, and keeps the rest', async () => {
    const user = await signUp(t);
    const { id } = await createApiKey(t, user.accessToken);
    t.clock.advance(366 * 24 * 60 * 60);
    try {
      const recent = await logIn(t, user.email, user.password);
      expect(await t.app.get(AuditRetention).run()).toEqual({ deleted: expect.any(Number) });
      const left = (await eventsOf(recent.accessToken)).events;
      expect(left.map((event) => event.type)).toEqual(['user.login_succeeded']);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE subject_api_key_id = $1`, [id]);
      expect(count).toBe(0);
    } finally {
      t.clock.advance(-366 * 24 * 60 * 60);
    }
  });

  (serverUrl() ? describe : describe.skip)('on a server shared by several instances (server only)', () => {
    it('runs retention on one instance at a time: the others skip', async () => {
      const admin = new Client({ connectionString: t.database.url });
      await admin.connect();
      try {
        await admin.query('SELECT pg_advisory_lock(727364113)'); // another instance is at it
        expect(await t.app.get(AuditRetention).run()).toBe('skipped');
        await admin.query('SELECT pg_advisory_unlock(727364113)');
        expect(await t.app.get(AuditRetention).run()).toEqual({ deleted: expect.any(Number) });
      } finally {
        await admin.end();
      }
    });

    it('reads a page with one backward range scan of its index, however many events the user has', async () => {
      const user = await signUp(t);
      await t.dataSource.query(
        `INSERT INTO audit_events (user_id, type, created_at, actor_method)
         SELECT $1, 'api_key.renamed', now() - (n || ' seconds')::interval, 'session' FROM generate_series(1, 50000) AS n`,
        [user.userId],
      );
      await t.dataSource.query('ANALYZE audit_events');
      const plan = (
        await t.dataSource.query(
          `EXPLAIN SELECT * FROM audit_events WHERE user_id = $1 AND (created_at, seq) < (now(), 9000000000000000000)
           ORDER BY created_at DESC, seq DESC LIMIT 51`,
          [user.userId],
        )
      )
        .map((row: Record<string, string>) => row['QUERY PLAN'])
        .join('\n');
      expect(plan).toMatch(/Index Scan Backward using idx_audit_events_user_id_created_at_seq/);
      expect(plan).not.toMatch(/Sort|Seq Scan/);
    });
  });
});

describe('Security activity across a restart', () => {
  it('writes, at shutdown, a failed sign-in and a key use that were still waiting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mgp-audit-'));
    const database = serverUrl() ? await createTestDatabase() : { env: { DATA_DIR: dataDir, DATABASE_URL: '' }, drop: async () => {} };
    try {
      const first = await startTestApp({ database });
      const user = await signUp(first);
      const { id, key } = await createApiKey(first, user.accessToken);
      await first.http().get('/v1/auth/whoami').set(bearer(key)).expect(200);
      await first.http().post('/v1/auth/login').send({ email: user.email, password: 'wrong, and logged' }).expect(401);
      await first.close(); // before either timer could write them

      const second = await startTestApp({ database });
      try {
        const events = (await second.http().get('/v1/audit-events').set(bearer(user.accessToken)).expect(200)).body.events as Event[];
        expect(events.map((event) => event.type)).toContain('user.login_failed');
        const keyRow = await second.http().get(`/v1/api-keys/${id}`).set(bearer(user.accessToken)).expect(200);
        expect(keyRow.body.last_used_at).toEqual(expect.any(String));
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
