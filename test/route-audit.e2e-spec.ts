import { buildOpenApiDocument } from '../src/openapi/swagger';
import { specPath } from '../src/openapi/route-catalogue';
import { NO_SCOPE } from '../src/credentials/auth.decorators';
import { isKnownScope } from '../src/credentials/scopes';
import { bearer, signUp } from './support/factories';
import { collectRoutes, Route } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Reads every route's auth decision from its decorators, as an extension
 * module's routes would be read: nothing here lists the service's routes.
 */
describe('Route audit', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await startTestApp();
    routes = collectRoutes(t);
  });
  afterAll(() => t.close());

  const name = (route: Route) => `${route.method} ${route.path}`;
  const isPublic = (route: Route) => route.policy === 'public' && !route.passportBearer;

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
  });

  it('gives every route an explicit auth decision', () => {
    const undecided = routes.filter((route) => route.policy === undefined);
    expect(undecided).toEqual([]);
  });

  it('names the scope of every authenticated route, from the catalogue', () => {
    const authenticated = routes.filter((route) => route.policy !== 'public');
    const undeclared = authenticated.filter((route) => route.scope === undefined).map(name);
    expect(undeclared).toEqual([]);
    const unknown = authenticated.filter((route) => route.scope && !isKnownScope(route.scope)).map((route) => `${name(route)}: ${route.scope}`);
    expect(unknown).toEqual([]);
    // Only whoami, which tells a caller about itself, and session-only routes need none.
    const scopeless = authenticated.filter((route) => route.scope === NO_SCOPE && route.policy !== 'session_only').map(name);
    expect(scopeless).toEqual(['GET /v1/auth/whoami']);
  });

  it('documents the scope of every route an API key can call, and its 403', () => {
    const document = buildOpenApiDocument(t.app);
    for (const route of routes.filter((r) => r.policy === 'any_credential' && r.scope !== NO_SCOPE)) {
      const operation = document.paths[specPath(route.path)][route.method.toLowerCase() as 'get']! as { 'x-required-scope'?: string; description?: string };
      expect({ route: name(route), scope: operation['x-required-scope'] }).toEqual({ route: name(route), scope: route.scope });
      expect(operation.description).toContain(`\`${route.scope}\``);
      expect(JSON.stringify(document.paths[specPath(route.path)][route.method.toLowerCase() as 'get']!.responses['403'])).toContain('insufficient_scope');
    }
  });

  it('refuses a key without the scope on every route that names one, with 403 insufficient_scope', async () => {
    const user = await signUp(t);
    const created = await t.http().post('/v1/api-keys').set(bearer(user.accessToken)).send({ name: 'audit only', scopes: ['audit:read'] }).expect(201);
    for (const route of routes.filter((r) => r.policy === 'any_credential' && r.scope && r.scope !== NO_SCOPE && r.scope !== 'audit:read')) {
      const path = route.path.replace(':id', '00000000-0000-0000-0000-000000000000');
      const response = await t.http()[route.method.toLowerCase() as 'get'](path).set(bearer(created.body.key)).send({});
      expect({ route: name(route), status: response.status, code: response.body.code }).toEqual({ route: name(route), status: 403, code: 'insufficient_scope' });
    }
  });

  it("keeps API.md's public routes public", () => {
    expect(routes.filter(isPublic).map(name)).toEqual(
      expect.arrayContaining(['GET /health', 'POST /v1/auth/login', 'POST /v1/auth/refresh', 'POST /v1/auth/signup']),
    );
  });

  it('documents exactly the public routes as needing no credential', () => {
    const document = buildOpenApiDocument(t.app);
    for (const route of routes) {
      const operation = document.paths[specPath(route.path)][route.method.toLowerCase() as 'get']!;
      const security = isPublic(route) ? [] : [{ api_key: [] }, { session: [] }];
      if (route.policy === 'session_only') security.splice(0, 1);
      expect({ route: name(route), security: operation.security }).toEqual({ route: name(route), security });
    }
  });

  it('answers every public route without a token, never with 401', async () => {
    for (const route of routes.filter(isPublic)) {
      const path = route.path.replace(':id', '00000000-0000-0000-0000-000000000000');
      const response = await t.http()[route.method.toLowerCase() as 'get'](path).send({});
      expect({ route: name(route), status: response.status }).not.toEqual({ route: name(route), status: 401 });
    }
  });

  it('answers every protected route without a token with 401 missing_authorization', async () => {
    for (const route of routes.filter((r) => !isPublic(r))) {
      const path = route.path.replace(':id', '00000000-0000-0000-0000-000000000000');
      const response = await t.http()[route.method.toLowerCase() as 'get'](path).send({});
      expect({ route: name(route), status: response.status, code: response.body.code }).toEqual({
        route: name(route),
        status: 401,
        code: 'missing_authorization',
      });
    }
  });
});
