import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../src/openapi/swagger';
import { collectRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

describe('openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is what the code generates (run `npm run openapi` after changing routes or DTOs)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as unknown;
    expect(buildOpenApiDocument(t.app)).toEqual(committed);
  });
});

describe('Routes and spec', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('list the same operations', () => {
    const fromApp = collectRoutes(t).map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    const document = buildOpenApiDocument(t.app);
    const fromSpec = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(fromSpec.sort()).toEqual(fromApp.sort());
  });

  it('give every non-public operation both security schemes, and public ones none', () => {
    const document = buildOpenApiDocument(t.app);
    const publicPaths = collectRoutes(t)
      .filter((route) => route.policy === 'public')
      .map((route) => `${route.method} ${route.path}`);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations) as [string, { security?: object[] }][]) {
        const name = `${method.toUpperCase()} ${path}`;
        if (publicPaths.includes(name)) expect({ name, security: operation.security }).toEqual({ name, security: [] });
        else expect(operation.security?.length).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
