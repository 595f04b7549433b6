/**
 * An enterprise team's own module (test/extension/acme), added beside the
 * service's modules as a deployment adds it: its own table, migration, error
 * code, audit event type and public route, declared in its own folder. Its routes sit behind
 * the global guard without doing anything, get the caller through
 * @CurrentPrincipal(), and can also use the bearer strategy through passport
 * as AuthGuard('bearer'). docs/EXTENDING.md walks through the same module.
 */
import { buildOpenApiDocument } from '../src/openapi/swagger';
import { AcmeModule } from './extension/acme/acme.module';
import { bearer, createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('An extension module behind the guard', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ imports: [AcmeModule] })));
  afterAll(() => t.close());

  it('gets the caller from either credential, and enforces session-only routes', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    await t.http().get('/acme/reports').set(bearer(key)).expect(200, { user_id: user.userId, method: 'api_key' });
    await t.http().get('/acme/reports').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    await t.http().get('/acme/billing').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    const keyOnBilling = await t.http().get('/acme/billing').set(bearer(key)).expect(403);
    expect(keyOnBilling.body.code).toBe('session_required');
  });

  it("declares its own scopes: they join the catalogue, keys can hold them, and its routes require them", async () => {
    const user = await signUp(t);
    const { body } = await t.http().get('/v1/api-keys/scopes').set(bearer(user.accessToken)).expect(200);
    expect(body.scopes).toEqual(expect.arrayContaining([{ name: 'widgets:read', description: 'List your widgets' }]));
    const created = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'reader', scopes: ['widgets:read'] }).expect(201);
    const reader = created.body.key as string;
    await t.http().get('/v1/acme/widgets').set(bearer(reader)).expect(200);
    const refused = await t.http().post('/v1/acme/widgets').set(bearer(reader)).send({ name: 'gear' }).expect(403);
    expect(refused.body.code).toBe('insufficient_scope');
    expect(refused.headers['www-authenticate']).toContain('scope="widgets:write"');
    expect((await t.http().get('/acme/reports').set(bearer(reader)).expect(403)).body.code).toBe('insufficient_scope');
    const document = buildOpenApiDocument(t.app);
    expect(document.paths['/v1/acme/widgets'].post!['x-required-scope' as 'summary']).toBe('widgets:write');
  });

  it('denies an undecorated route without a credential', async () => {
    const response = await t.http().get('/acme/forgotten').expect(401);
    expect(response.body.code).toBe('missing_authorization');
  });

  it('lets AuthGuard("bearer") verify the same credentials, revocation included', async () => {
    const user = await signUp(t);
    const created = await createApiKey(t, user.accessToken);
    await t.http().get('/acme/through-passport').set(bearer(created.key)).expect(200, { user_id: user.userId, method: 'api_key' });
    await t.http().get('/acme/through-passport').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    await t.http().delete(`/v1/api-keys/${created.id}`).set(bearer(user.accessToken)).expect(200);
    const revoked = await t.http().get('/acme/through-passport').set(bearer(created.key)).expect(401);
    expect(revoked.body.code).toBe('api_key_revoked');
    const garbage = await t.http().get('/acme/through-passport').set(bearer('not-a-token')).expect(401);
    expect(garbage.body.code).toBe('invalid_token');
  });

  describe('with its own table, migration, error code and public route', () => {
    it('runs its migration, and its entity agrees with it', async () => {
      expect(t.dataSource.migrations.map((migration) => migration.name)).toContain('CreateAcmeWidgets1765000000000');
      expect(await t.dataSource.showMigrations()).toBe(false);
      const sql = await t.dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((query) => query.query)).toEqual([]);
    });

    it("keeps each user's widgets, and answers its own error code in the API's shape", async () => {
      const ada = await signUp(t);
      const { key } = await createApiKey(t, ada.accessToken);
      const created = await t.http().post('/v1/acme/widgets').set(bearer(key)).send({ name: ' Sprocket ' }).expect(201);
      expect(created.body).toEqual({ id: expect.any(String), name: 'Sprocket', created_at: expect.any(String) });
      const taken = await t.http().post('/v1/acme/widgets').set(bearer(ada.accessToken)).send({ name: 'Sprocket' }).expect(409);
      expect(taken.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'widget_name_taken',
        message: 'You already have a widget with this name',
      });
      await t.http().get('/v1/acme/widgets').set(bearer(ada.accessToken)).expect(200, { widgets: [created.body] });

      const grace = await signUp(t);
      await t.http().get('/v1/acme/widgets').set(bearer(grace.accessToken)).expect(200, { widgets: [] });
      await t.http().post('/v1/acme/widgets').set(bearer(grace.accessToken)).send({ name: 'Sprocket' }).expect(201);
      await t.http().post('/v1/acme/widgets').send({ name: 'Sprocket' }).expect(401);
    });

    it("records its own audit event type in the account's security activity, in the widget's transaction", async () => {
      const user = await signUp(t);
      const { key, id } = await createApiKey(t, user.accessToken);
      await t.http().post('/v1/acme/widgets').set(bearer(key)).send({ name: 'Gear' }).expect(201);
      await t.http().post('/v1/acme/widgets').set(bearer(key)).send({ name: 'Gear' }).expect(409); // no widget, so no event
      const { events } = (await t.http().get('/v1/audit-events').set(bearer(user.accessToken)).expect(200)).body;
      expect(events.filter((event: { type: string }) => event.type === 'widget.created')).toEqual([
        expect.objectContaining({ actor: { method: 'api_key', api_key_id: id }, subject: {} }),
      ]);
    });

    it('serves its public route without a credential', async () => {
      const status = await t.http().get('/v1/acme/widgets/status').expect(200);
      expect(status.body).toEqual({ widgets: expect.any(Number) });
    });

    it('is documented in the spec like the service itself', () => {
      const document = buildOpenApiDocument(t.app);
      const create = document.paths['/v1/acme/widgets'].post!;
      expect(create.security).toEqual([{ api_key: [] }, { session: [] }]);
      expect(create.responses['409']).toMatchObject({ description: '`widget_name_taken`' });
      expect(create.responses['401']).toMatchObject({ description: expect.stringContaining('`missing_authorization`') });
      expect(document.paths['/v1/acme/widgets/status'].get!.security).toEqual([]);
      expect((document.components!.schemas!.ErrorCode as { enum: string[] }).enum).toContain('widget_name_taken');
      expect((document.components!.schemas!.AuditEventType as { enum: string[] }).enum).toContain('widget.created');
      // Passport's guard needs a credential, whatever the route's own policy says.
      expect(document.paths['/acme/through-passport'].get!.security).toEqual([{ api_key: [] }, { session: [] }]);
    });
  });
});
