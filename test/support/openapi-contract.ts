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
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
  }

  /** Validates each response in Fastify's onSend hook, before it leaves. */
  attach(fastify: FastifyInstance): void {
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const routeUrl = request.routeOptions.url;
      if (routeUrl) this.check(request.method, routeUrl, reply.statusCode, reply.getHeaders(), payload);
      done(null, payload);
    });
  }

  private check(method: string, routeUrl: string, status: number, headers: Record<string, unknown>, payload: unknown): void {
    if (!routeUrl.startsWith('/v1') && routeUrl !== '/health') return; // docs and static assets
    const path = routeUrl.replace(/:(\w+)/g, '{$1}');
    const where = `${method} ${path} ${status}`;
    const operation = this.document.paths[path]?.[method.toLowerCase() as 'get'];
    if (!operation) return void this.violations.push(`${where}: the route is not in the spec`);
    const response = operation.responses[String(status)] as ResponseObject | undefined;
    if (!response) return void this.violations.push(`${where}: status not documented`);
    this.seen.add(where);

    for (const header of Object.keys(response.headers ?? {})) {
      if (headers[header.toLowerCase()] === undefined) this.violations.push(`${where}: documented header ${header} missing`);
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body.length > 0) this.violations.push(`${where}: a body where the spec documents none`);
      return;
    }
    const validate = this.validatorFor(method, path, status);
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

  private validatorFor(method: string, path: string, status: number): ValidateFunction {
    const key = `${method} ${path} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const pointer = ['paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema']
        .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/');
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.validators.set(key, validate);
    }
    return validate;
  }
}
