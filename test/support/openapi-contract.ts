/**
 * Checks every response the app sends during the e2e suite against the
 * OpenAPI document the code generates: the route must be in the spec, the
 * status documented for it, the documented headers present, and the body
 * valid against the documented schema. Violations fail the test file.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenAPIObject } from '@nestjs/swagger';
import { FastifyInstance } from 'fastify';

interface ResponseObject {
  content?: Record<string, { schema: object }>;
  headers?: Record<string, unknown>;
}

export class OpenApiContract {
  readonly violations: string[] = [];
  /** `METHOD /spec/path status`, for the coverage report. */
  readonly seen = new Set<string>();
  private readonly ajv: Ajv;
  /** The same document with `additionalProperties: false` on every object schema that lists properties. */
  private readonly strictAjv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    this.strictAjv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.strictAjv);
    this.strictAjv.addSchema(closed(document), 'openapi');
  }

  /**
   * Validates each response in Fastify's onSend hook, before it leaves; and
   * the value a handler returned, before a serializer compiled from the spec
   * could drop or coerce what does not fit it.
   */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('preSerialization', (request, reply, payload, done) => {
      const routeUrl = request.routeOptions.url;
      if (routeUrl) {
        this.check(request.method, routeUrl, reply.statusCode, {}, JSON.stringify(payload), 'as returned, before serialization');
      }
      done(null, payload);
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const routeUrl = request.routeOptions.url;
      if (routeUrl) this.check(request.method, routeUrl, reply.statusCode, reply.getHeaders(), payload);
      done(null, payload);
    });
  }

  private check(
    method: string,
    routeUrl: string,
    status: number,
    headers: Record<string, unknown>,
    payload: unknown,
    stage = 'as sent',
  ): void {
    if (!routeUrl.startsWith('/v1') && routeUrl !== '/health') return; // docs and static assets
    const path = routeUrl.replace(/:(\w+)/g, '{$1}');
    const where = `${method} ${path} ${status} (${stage})`;
    const operation = this.document.paths[path]?.[method.toLowerCase() as 'get'];
    if (!operation) return void this.violations.push(`${where}: the route is not in the spec`);
    const response = operation.responses[String(status)] as ResponseObject | undefined;
    if (!response) return void this.violations.push(`${where}: status not documented`);
    this.seen.add(`${method} ${path} ${status}`);

    for (const header of stage === 'as sent' ? Object.keys(response.headers ?? {}) : []) {
      if (headers[header.toLowerCase()] === undefined) this.violations.push(`${where}: documented header ${header} missing`);
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body.length > 0) this.violations.push(`${where}: a body where the spec documents none`);
      return;
    }
    const validate = this.validatorFor(method, path, status, stage);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return void this.violations.push(`${where}: the body is not JSON`);
    }
    if (!validate(parsed)) {
      this.violations.push(`${where}: ${this.ajv.errorsText(validate.errors)} in ${body.slice(0, 300)}`);
    }
  }

  private validatorFor(method: string, path: string, status: number, stage: string): ValidateFunction {
    // Strict before serialization: a property the spec does not list would be dropped by the compiled serializer.
    const strict = stage !== 'as sent';
    const key = `${method} ${path} ${status} ${strict}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const pointer = ['paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema']
        .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      validate = (strict ? this.strictAjv : this.ajv).compile({ $ref: `openapi#/${pointer}` });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** A copy of `value` in which every object schema with `properties` allows no others. */
function closed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(closed) as T;
  if (value && typeof value === 'object') {
    const copy = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, closed(inner)])) as Record<string, unknown>;
    if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
    return copy as T;
  }
  return value;
}
