/**
 * Gives every route's success responses the serializer Fastify compiles from
 * a response schema (fast-json-stringify), built from the route's schema in
 * the OpenAPI document: the DTOs stay the one description of a response.
 * JSON.stringify of a response the size of `whoami` cost more than verifying
 * the caller's API key (BENCHMARKS.md). TUNE_COMPILED_SERIALIZERS=false
 * leaves JSON.stringify.
 *
 * A compiled serializer writes only the properties its schema lists; the e2e
 * contract checks every response body against the same document, before and
 * after serialization, so a DTO and its schema cannot drift apart unseen.
 */
import { INestApplication } from '@nestjs/common';
import { FASTIFY_ROUTE_SCHEMA_METADATA } from '@nestjs/platform-fastify/constants';
import { OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/filters/error-body.dto';
import { listRoutes, specPath } from './route-catalogue';

type Schema = Record<string, unknown>;

/**
 * Whether the DTOs carry the schema the @nestjs/swagger plugin writes at
 * build time (`nest build`, and the tests). Run through ts-node without it,
 * a DTO's schema lists only its decorated properties: a serializer compiled
 * from that would drop the rest, so responses keep JSON.stringify.
 */
export const dtoSchemasAreComplete = () =>
  typeof (ErrorBodyDto as unknown as Record<string, unknown>)._OPENAPI_METADATA_FACTORY === 'function';

/** Returns false, changing nothing, when the DTOs' schemas are incomplete. */
export function compileResponseSerializers(app: INestApplication, document: OpenAPIObject): boolean {
  if (!dtoSchemasAreComplete()) return false;
  for (const route of listRoutes(app)) {
    const operation = document.paths[specPath(route.path)]?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    const response: Record<string, Schema> = {};
    for (const [status, answer] of Object.entries(operation.responses)) {
      const schema = (answer as { content?: Record<string, { schema?: Schema }> }).content?.['application/json']?.schema;
      if (/^2\d\d$/.test(status) && schema) response[status] = inline(schema, document);
    }
    if (Object.keys(response).length === 0) continue;
    const existing = (Reflect.getMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, route.handler) as Schema | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_SCHEMA_METADATA, { ...existing, response }, route.handler);
  }
  return true;
}

/** The schema with every `$ref` to a component replaced by the component itself, and docs-only keywords left out. */
function inline(schema: unknown, document: OpenAPIObject, depth = 0): Schema {
  if (depth > 32) throw new Error('Response schemas nest too deep, or refer to themselves');
  const node = schema as Schema;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    return inline(document.components?.schemas?.[name], document, depth + 1);
  }
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'example' || keyword === 'examples' || keyword === 'description') continue;
    if (keyword === 'properties') {
      result.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, property]) => [name, inline(property, document, depth + 1)]),
      );
    } else if (keyword === 'items' || keyword === 'additionalProperties') {
      result[keyword] = typeof value === 'object' ? inline(value, document, depth + 1) : value;
    } else if (keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') {
      result[keyword] = (value as unknown[]).map((part) => inline(part, document, depth + 1));
    } else {
      result[keyword] = value;
    }
  }
  return result;
}
