import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AuditEventTypeDefinition, definedAuditEventTypes } from '../audit/audit-event-types';
import { errorResponses } from '../common/decorators/api-errors.decorator';
import { HTTP_EDGE_ERRORS, JSON_BODY_ERRORS, SERVER_ERRORS } from '../common/errors/common-errors';
import { definedErrorCodes, ErrorCode } from '../common/errors/error-catalogue';
import { ErrorBodyDto } from '../common/filters/error-body.dto';
import { API_KEY_SCHEME, NO_SCOPE, SESSION_SCHEME } from '../credentials/auth.decorators';
import { credentialFailures } from '../credentials/credential-errors';
import { FULL_ACCESS, scopeCatalogue } from '../credentials/scopes';
import { listRoutes, RouteInfo, specPath } from './route-catalogue';

const DESCRIPTION = `
Authenticate every \`/v1\` call with \`Authorization: Bearer <token>\`, where the token is either:

- an **API key** (\`mgp_\` + 40 hex characters) for servers, scripts and CI. Create one with
  \`POST /v1/api-keys\`; the key is shown once. It works until revoked.
- a **session token**: a one-hour JWT from \`POST /v1/auth/login\` or \`/signup\`, renewed with
  \`POST /v1/auth/refresh\` and a rotating refresh token. For browser apps.

Signup, login, refresh and \`/health\` need no credential.

Every error has the body \`{statusCode, error, code, message}\` (400s may add \`details\`), where
\`code\` is stable and machine-readable (see the \`ErrorCode\` schema). A 401 carries an RFC 6750
\`WWW-Authenticate\` header.
`.trim();

const TAGS: [string, string][] = [
  ['Auth', 'Sign-up, sign-in, refresh-token rotation, sign-out and sessions'],
  ['API keys', 'Long-lived keys for servers, scripts and CI'],
  ['Users', 'The signed-in user'],
  ['Account', 'Password change and reset, email verification, and deleting the account'],
  ['Security activity', "The account's audit log: sign-ins, sessions and key changes"],
  ['Health', 'Liveness and database reachability'],
];

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Magpipe Auth API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://example.com/license')
    .addServer('/', 'This server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'mgp_...', description: 'An API key: `mgp_` and 40 hex characters' },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A session access token from login or refresh' },
      SESSION_SCHEME,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);

  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controller, method) => method,
    extraModels: [ErrorBodyDto],
  });
  for (const route of listRoutes(app)) describeAccessAndErrors(document, route);
  // Every code and audit event type the app's modules define, extension modules' included.
  document.components!.schemas!.ErrorCode = { type: 'string', enum: definedErrorCodes() };
  describeAuditEventTypes(document);
  describeScopes(document);
  return sortKeys(document);
}

/** The Scope enum (the service's and extension modules' scopes, and `*`), which every list of scopes refers to. */
function describeScopes(document: OpenAPIObject): void {
  const schemas = document.components!.schemas!;
  const catalogue = scopeCatalogue();
  schemas.Scope = {
    type: 'string',
    enum: [FULL_ACCESS, ...catalogue.map(({ name }) => name)],
    description: [`- \`${FULL_ACCESS}\`: full access`, ...catalogue.map(({ name, description }) => `- \`${name}\`: ${description}`)].join('\n'),
  };
  const scopeRef = { $ref: '#/components/schemas/Scope' };
  for (const [schema, property] of [
    ['CreateApiKeyDto', 'scopes'],
    ['ApiKeyDto', 'scopes'],
    ['ApiKeyCreatedDto', 'scopes'],
    ['AuthMethodDto', 'scopes'],
  ] as const) {
    const list = (schemas[schema] as { properties?: Record<string, { items?: object }> } | undefined)?.properties?.[property];
    if (list?.items) list.items = scopeRef;
  }
}

/** The AuditEventType enum, and an example page of each type on the route that lists them. */
function describeAuditEventTypes(document: OpenAPIObject): void {
  const types = definedAuditEventTypes();
  const schemas = document.components!.schemas!;
  if (!schemas.AuditEventType) return;
  schemas.AuditEventType = {
    type: 'string',
    enum: types.map(([type]) => type),
    description: types.map(([type, { description }]) => `- \`${type}\`: ${description}`).join('\n'),
  };
  const listing = document.paths['/v1/audit-events']?.get?.responses['200'] as { content?: Record<string, { examples?: object }> };
  const json = listing?.content?.['application/json'];
  if (json) json.examples = Object.fromEntries(types.map(([type, definition]) => [type, { summary: definition.description, value: examplePage(type, definition) }]));
}

const EXAMPLE_IDS = {
  event: '7d2c1f0a-8b3e-4c5d-9e6f-0a1b2c3d4e5f',
  session: '9a1d3c4e-2b6f-4e8a-9c0d-1e2f3a4b5c6d',
  apiKey: '5f0c2f0e-3c1d-4b7a-8c55-7d8e2b1a9f40',
};

function examplePage(type: string, { subject, actor }: AuditEventTypeDefinition): object {
  return {
    events: [
      {
        id: EXAMPLE_IDS.event,
        type,
        created_at: '2026-12-02T10:00:00.000Z',
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
        actor: actor === 'anonymous' ? { method: 'anonymous' } : { method: 'session', session_id: EXAMPLE_IDS.session },
        subject: Object.fromEntries(subject.map((field) => [field, field === 'api_key_id' ? EXAMPLE_IDS.apiKey : EXAMPLE_IDS.session])),
      },
    ],
    next_cursor: null,
  };
}


interface Operation {
  description?: string;
  'x-required-scope'?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { headers?: Record<string, object> }>;
}

const NO_STORE = { description: '`no-store`: the response carries a secret', schema: { type: 'string', enum: ['no-store'] } };

/**
 * A route's security and error responses, from its decorators: what it
 * declares with `@ApiErrors`, what its auth policy implies (the credential
 * failures every verifier declared, `session_required`), and server errors.
 */
function describeAccessAndErrors(document: OpenAPIObject, route: RouteInfo): void {
  const operation = document.paths[specPath(route.path)]?.[route.method.toLowerCase() as 'get'] as Operation | undefined;
  if (!operation) return;
  const needsCredential = route.policy !== 'public' || route.passportBearer;
  if (!needsCredential) operation.security = [];
  else if (!operation.security?.length) operation.security = [{ [API_KEY_SCHEME]: [] }, { [SESSION_SCHEME]: [] }];
  const scope = route.policy === 'any_credential' ? (route.scope ?? FULL_ACCESS) : NO_SCOPE;
  if (scope !== NO_SCOPE) {
    // OpenAPI 3.0 lets only OAuth2 and OpenID schemes list scopes in `security`: an extension says it instead.
    operation['x-required-scope'] = scope;
    const needed = scope === FULL_ACCESS ? 'a full-access key (`*`)' : `the scope \`${scope}\``;
    operation.description = [operation.description, `**Scope:** an API key needs ${needed}; a session token holds every scope.`]
      .filter(Boolean)
      .join('\n\n');
  }
  const codes = [
    ...route.errors,
    ...(needsCredential ? credentialFailures() : []),
    ...(route.policy === 'session_only' ? (['session_required'] as ErrorCode[]) : []),
    ...(scope !== NO_SCOPE ? (['insufficient_scope'] as ErrorCode[]) : []),
    ...SERVER_ERRORS,
    ...HTTP_EDGE_ERRORS,
    // A body is parsed whenever one is sent, also where the route expects none (a DELETE, say).
    ...(route.method === 'GET' ? [] : JSON_BODY_ERRORS),
  ];
  const sorted = [...new Set(codes)].sort();
  if (route.sendsSecret) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (/^2\d\d$/.test(status)) response.headers = { ...response.headers, 'Cache-Control': NO_STORE };
    }
  }
  Object.assign(operation.responses, errorResponses(sorted, getSchemaPath(ErrorBodyDto)));
}

/** Swagger UI sets inline styles; only its own pages get that allowance. */
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/**
 * Swagger UI at /docs and the spec at /docs/openapi.json. Behind a trusted
 * proxy that mounts the service under a path, `X-Forwarded-Prefix` sets the
 * spec's `servers`; from anyone else, the header could poison a cache.
 */
export function setupSwagger(app: NestFastifyApplication, { trustProxy }: { trustProxy: boolean }): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      if (request.url === '/docs' || request.url.startsWith('/docs/')) void reply.header('content-security-policy', DOCS_CSP);
      done(null, payload);
    });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Magpipe Auth API',
    // Behind a proxy that mounts the service under a prefix, "Try it out" must call that prefix.
    patchDocumentOnRequest: (request, _response, document) => {
      if (!trustProxy) return document;
      const prefix = (request as { headers?: Record<string, unknown> }).headers?.['x-forwarded-prefix'];
      if (typeof prefix !== 'string' || !/^\/[\w\-./]*$/.test(prefix)) return document;
      return { ...document, servers: [{ url: prefix.replace(/\/?$/, '/'), description: 'This server' }] };
    },
  });
}

/** Object keys in order, arrays as they are: the same code always gives the same bytes. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}
