import { collectRoutes, Route } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

describe('Route audit', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await startTestApp();
    routes = collectRoutes(t);
  });
  afterAll(() => t.close());

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
  });

  it('gives every route an explicit auth decision', () => {
    const undecided = routes.filter((route) => route.policy === undefined);
    expect(undecided).toEqual([]);
  });

  it('makes public only the routes API.md makes public', () => {
    const publicRoutes = routes.filter((route) => route.policy === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual(
      ['GET /health', 'POST /v1/auth/login', 'POST /v1/auth/refresh', 'POST /v1/auth/signup'].sort(),
    );
  });

  it('answers every protected route without a token with 401 missing_authorization', async () => {
    for (const route of routes.filter((r) => r.policy !== 'public')) {
      const path = route.path.replace(':id', '00000000-0000-0000-0000-000000000000');
      const response = await t.http()[route.method.toLowerCase() as 'get'](path).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'missing_authorization',
      });
    }
  });
});
