import { FastifyInstance } from 'fastify';
import { ApiException } from '../errors/api-exception';

/** Deeper bodies are refused: nothing in this API nests, and validation recurses per level. */
const MAX_JSON_DEPTH = 32;

/**
 * Fastify's JSON parser (with its prototype-poisoning protection), with two
 * differences: an empty body labelled as JSON is no body (many clients send
 * that header on a bodiless DELETE), and a body nested deeper than
 * MAX_JSON_DEPTH is a 400 rather than a stack overflow further on.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    void parseJson(request, body.toString(), (error, value) => {
      if (error) return done(error);
      if (nestingDepth(value) > MAX_JSON_DEPTH) {
        return done(new ApiException('validation_failed', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`));
      }
      done(null, value);
    });
  });
}

/** Iterative, so that measuring a hostile body cannot overflow the stack either. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}
