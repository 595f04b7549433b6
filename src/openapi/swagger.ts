import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SCHEME, SESSION_SCHEME } from '../common/decorators/auth.decorators';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Magpipe Auth API')
    .setDescription(
      'Authenticate with `Authorization: Bearer <token>`, where the token is either an API key (`mgp_...`, for servers, ' +
        'scripts and CI) or a session access token (a one-hour JWT from login, for browser apps). ' +
        'Every error has the body `{statusCode, error, code, message}` with a stable `code`.',
    )
    .setVersion('1.0.0')
    .addServer('/', 'This server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'mgp_...', description: 'An API key: `mgp_` and 40 hex characters' },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A session access token from login or refresh' },
      SESSION_SCHEME,
    )
    .build();
  return sortKeys(
    SwaggerModule.createDocument(app, config, {
      operationIdFactory: (_controller, method) => method,
    }),
  );
}

/** Swagger UI at /docs and the spec at /docs/openapi.json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: false },
    customSiteTitle: 'Magpipe Auth API',
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
