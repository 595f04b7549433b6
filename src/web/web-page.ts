/**
 * Serves the Settings → API page (built by `npm run build:web` into `dist/web`) at `GET /`.
 *
 * The page is static files only and talks to the public API like any other client, so
 * serving it is just @fastify/static over that folder. The folder is found from the
 * project root, which works both from `src/web` (ts-node, jest) and from `dist/src/web`
 * (the compiled server). When the page has not been built the API still boots and
 * `GET /` answers a JSON 503 that says how to build it.
 */
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_RETRY_AFTER_S, ErrorBody } from '../common/filters/error-response';

const PAGE_NOT_BUILT: ErrorBody = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: 'service_unavailable',
  message: 'The Settings page has not been built: run `npm run build:web`',
};

export async function registerWebPage(app: NestFastifyApplication, root: string | null = webPageRoot()): Promise<void> {
  if (!root) {
    app
      .getHttpAdapter()
      .getInstance()
      .get('/', (_request, reply) => reply.status(503).header('retry-after', String(DEFAULT_RETRY_AFTER_S)).send(PAGE_NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file instead of a catch-all: unknown paths keep the API's JSON 404.
    wildcard: false,
    // Swagger UI registers @fastify/static too; only one registration may decorate the reply.
    decorateReply: false,
    index: ['index.html'],
    // The files keep their names from build to build, so browsers revalidate every time.
    cacheControl: true,
    maxAge: 0,
  });
}

/** `dist/web` under the project root (the folder holding package.json), if it holds a built page. */
export function webPageRoot(start: string = __dirname): string | null {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) {
      const root = join(folder, 'dist', 'web');
      return existsSync(join(root, 'index.html')) ? root : null;
    }
    if (dirname(folder) === folder) return null;
  }
}
