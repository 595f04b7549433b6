import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { AUTH_POLICY, AuthPolicy } from '../src/common/decorators/auth.decorators';
import { startTestApp, TestApp } from './support/test-app';

interface Route {
  method: string;
  path: string;
  policy: AuthPolicy | undefined;
}

/** Every route the app registers, with the auth decision its decorators make. */
function collectRoutes(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const reflector = t.app.get(Reflector);
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  return controllers.flatMap(({ metatype, instance }) => {
    if (!metatype || !instance) return [];
    const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance)).flatMap((name) => {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const policy = reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [handler as () => void, metatype]);
      return [{ method, path: `/${[prefix, path].filter((p) => p && p !== '/').join('/')}`, policy }];
    });
  });
}

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
