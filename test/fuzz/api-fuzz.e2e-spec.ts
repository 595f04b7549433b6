/**
 * Property-based fuzzing of every operation in the OpenAPI document: random
 * bodies (any JSON, or the operation's own fields with random values), path
 * ids, query strings and headers, with and without valid credentials. Every
 * response must be in the spec (the test app's contract check fails the
 * file otherwise), be in the error shape when it is an error, and never be
 * a 5xx.
 *
 * Bounded and seeded: FUZZ_RUNS runs per operation (default 100), from
 * FUZZ_SEED (default: the time). A failure prints the seed and the shrunk
 * case; replay it with FUZZ_SEED, then keep it as a plain regression test.
 */
import { OpenAPIObject } from '@nestjs/swagger';
import fc from 'fast-check';
import { buildOpenApiDocument } from '../../src/openapi/swagger';
import { createApiKey, signUp, SignedUpUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

jest.setTimeout(180_000);

type Schema = Record<string, unknown>;

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete' | 'put';
  path: string;
  body?: Schema;
}

/** Everything a run may send, before it is turned into a request. */
interface Attempt {
  credential: 'none' | 'api_key' | 'session' | 'garbage_bearer' | 'other_scheme' | 'empty';
  garbage: string;
  pathId: 'own_key' | 'own_session' | 'random_uuid' | 'arbitrary';
  arbitraryId: string;
  query: [string, string][];
  headers: [string, string][];
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };
}

/** Printable ASCII without the characters a header value may not hold. */
const headerText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 -_.,;:=/+*~!$&\'()[]{}'.split('')), maxLength: 80 });
const headerName = fc.stringMatching(/^x-[a-z][a-z0-9-]{0,20}$/);
const unicodeText = fc.string({ unit: 'binary', maxLength: 300 });
/** Numbers JSON can carry that JavaScript handles badly, and values of every type. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  unicodeText,
  fc.constantFrom('', ' ', 'null', '\u0000', '\ud800', '\u202e', 'a'.repeat(5000), '__proto__', 'constructor', '%00', '../..'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, 2 ** 64),
  fc.boolean(),
  fc.constant(null),
  fc.array(unicodeText, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Characters that break naive handling of text: lone surrogates, bidi and control characters, combining marks. */
const trickyCharacter = fc.constantFrom('\ud800', '\udfff', '\u202e', '\u2066', '\u0000', '\u0007', '\u00e9', 'e\u0301', '\ufeff', ' ', '%', '\\');

/** A valid value with a tricky character put somewhere in it: what reaches the validators' edge cases. */
const almost = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, trickyCharacter, fc.nat()).map(([text, inserted, at]) => {
    const position = at % (text.length + 1);
    return text.slice(0, position) + inserted + text.slice(position);
  });

/** Values for one property: often near what its schema asks, sometimes anything at all. */
function valueFor(property: Schema): fc.Arbitrary<unknown> {
  const minLength = typeof property.minLength === 'number' ? property.minLength : 0;
  const maxLength = typeof property.maxLength === 'number' ? property.maxLength : 100;
  const near: fc.Arbitrary<unknown>[] = [];
  if (property.format === 'email') near.push(fc.emailAddress(), almost(fc.emailAddress()), almost(fc.emailAddress()));
  if (property.type === 'string') {
    near.push(
      fc.string({ minLength, maxLength: Math.min(maxLength, 300) }),
      almost(fc.string({ minLength, maxLength: Math.min(maxLength, 100) })),
      fc.constantFrom('x'.repeat(Math.max(0, minLength - 1)), 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1)),
    );
  }
  if (Array.isArray(property.enum)) near.push(fc.constantFrom(...(property.enum as unknown[])));
  if (property.type === 'array') near.push(fc.array(fc.oneof(fc.string(), anyValue), { maxLength: 120 }));
  return near.length > 0 ? fc.oneof({ arbitrary: fc.oneof(...near), weight: 4 }, { arbitrary: anyValue, weight: 1 }) : anyValue;
}

function bodyFor(operation: Operation): fc.Arbitrary<Attempt['body']> {
  const properties = Object.entries((operation.body?.properties as Record<string, Schema> | undefined) ?? {});
  const shaped = fc
    .record({
      fields: fc.record(Object.fromEntries(properties.map(([name, property]) => [name, valueFor(property)])), { requiredKeys: [] }),
      extra: fc.option(fc.tuple(fc.string({ maxLength: 20 }), anyValue), { freq: 4 }),
    })
    .map(({ fields, extra }) => {
      const value: Record<string, unknown> = { ...fields };
      if (extra) value[extra[0]] = extra[1];
      return { kind: 'json' as const, value };
    });
  return fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.jsonValue({ maxDepth: 6 }).map((value) => ({ kind: 'json' as const, value })),
    { arbitrary: shaped, weight: 4 },
    fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(unicodeText, fc.constantFrom('{', '{"a":', '[[[[[[', '{"__proto__":{"x":1}}', 'null', '"\\ud800"')),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
    }),
  );
}

function attemptFor(operation: Operation): fc.Arbitrary<Attempt> {
  return fc.record({
    credential: fc.constantFrom('none', 'api_key', 'api_key', 'session', 'session', 'garbage_bearer', 'other_scheme', 'empty'),
    garbage: fc.oneof(headerText, fc.constantFrom('mgp_', `mgp_${'0'.repeat(40)}`, 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c')),
    pathId: fc.constantFrom('own_key', 'own_session', 'random_uuid', 'arbitrary'),
    arbitraryId: fc.oneof(unicodeText, fc.uuid(), fc.constantFrom('%', '%E0%A4%A', '..', 'null', '0'.repeat(2000))),
    query: fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 3 }),
    headers: fc.array(fc.tuple(headerName, headerText), { maxLength: 3 }),
    body: bodyFor(operation),
  });
}

function operationsOf(document: OpenAPIObject): Operation[] {
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    const ref = schema?.$ref;
    return typeof ref === 'string' ? (document.components!.schemas![ref.split('/').pop()!] as Schema) : schema;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    (['get', 'post', 'patch', 'delete', 'put'] as const).flatMap((method) => {
      const operation = item[method] as { requestBody?: { content?: Record<string, { schema?: Schema }> } } | undefined;
      if (!operation) return [];
      return [{ method, path, body: resolve(operation.requestBody?.content?.['application/json']?.schema) }];
    }),
  );
}

describe(`Fuzzing every operation (${RUNS} runs each, FUZZ_SEED=${SEED})`, () => {
  let t: TestApp;
  let operations: Operation[];
  beforeAll(async () => {
    t = await startTestApp();
    operations = operationsOf(buildOpenApiDocument(t.app));
  });
  afterAll(() => t.close());

  it('finds the operations in the spec', () => {
    expect(operations.length).toBeGreaterThanOrEqual(14);
  });

  /** A user of its own for each operation, so that one that revokes or signs out spoils no other. */
  async function owner(): Promise<SignedUpUser & { key: string; keyId: string }> {
    const user = await signUp(t);
    const { id, key } = await createApiKey(t, user.accessToken);
    return { ...user, key, keyId: id };
  }

  async function send(operation: Operation, attempt: Attempt, user: Awaited<ReturnType<typeof owner>>) {
    const id = {
      own_key: user.keyId,
      own_session: user.sessionId,
      random_uuid: '5f0c2f0e-3c1d-4b7a-8c55-7d8e2b1a9f40',
      arbitrary: encodeURIComponent(attempt.arbitraryId),
    }[attempt.pathId];
    const query = attempt.query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
    const url = operation.path.replace(/\{\w+\}/g, id || '%20') + (query ? `?${query}` : '');
    let request = t.http()[operation.method](url);
    const authorization = {
      none: undefined,
      api_key: `Bearer ${user.key}`,
      session: `Bearer ${user.accessToken}`,
      garbage_bearer: `Bearer ${attempt.garbage}`,
      other_scheme: `Basic ${attempt.garbage}`,
      empty: '',
    }[attempt.credential];
    if (authorization !== undefined) request = request.set('Authorization', authorization);
    for (const [name, value] of attempt.headers) request = request.set(name, value);
    if (attempt.body.kind === 'json') request = request.set('Content-Type', 'application/json').send(JSON.stringify(attempt.body.value));
    if (attempt.body.kind === 'raw') request = request.set('Content-Type', attempt.body.contentType).send(attempt.body.text);
    return request;
  }

  it('answers every operation with what the spec says, in the error shape when it refuses, and never a 5xx', async () => {
    for (const operation of operations) {
      const user = await owner();
      await fc.assert(
        fc.asyncProperty(attemptFor(operation), async (attempt) => {
          const response = await send(operation, attempt, user);
          const where = `${operation.method.toUpperCase()} ${operation.path}`;
          expect({ where, status: response.status, serverError: response.status >= 500 }).toEqual({
            where,
            status: response.status,
            serverError: false,
          });
          if (response.status >= 400) {
            expect(response.body).toEqual(
              expect.objectContaining({
                statusCode: response.status,
                error: expect.any(String),
                code: expect.any(String),
                message: expect.any(String),
              }),
            );
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    // Every response above was checked against the spec as it left; the violations fail t.close().
    expect(t.contract.violations).toEqual([]);
  });
});
