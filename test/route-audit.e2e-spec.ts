import { buildOpenApiDocument } from '../src/openapi/swagger';
import { specPath } from '../src/openapi/route-catalogue';
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
