/**
 * The security headers every response carries, chosen by helmet. They never
 * vary by request, so by default they are computed once at boot; running
 * helmet's middleware on every request (TUNE_SECURITY_HEADERS=false) costs a
 * measurable share of a trivial route (BENCHMARKS.md).
 */
import { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';

/** Our policy: helmet's defaults, with a strict CSP of our own. */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    // Not helmet's defaults: no https: fonts, and no upgrade-insecure-requests, which would
    // break the page for a plain-http deployment reached by address (docker compose on a LAN).
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      scriptSrcAttr: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
};

/** What helmet's middleware sets on a response, recorded from one dry run. */
export function computeSecurityHeaders(options = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error; // eslint-disable-line @typescript-eslint/only-throw-error
  });
  return headers;
}

export function registerSecurityHeaders(fastify: FastifyInstance, precomputed: boolean): void {
  if (!precomputed) {
    const middleware = helmet(HELMET_OPTIONS);
    fastify.addHook('onRequest', (request, reply, done) => middleware(request.raw, reply.raw, (error) => done(error as Error | undefined)));
    return;
  }
  const headers = computeSecurityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
