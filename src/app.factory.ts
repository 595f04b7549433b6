import { ModuleMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoLoggerInstance } from 'pino';
import { AppModule } from './app.module';
import { ApiException, FieldError } from './common/errors/api-exception';
import { ErrorTranslator } from './common/errors/error-translator';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { toErrorResponse } from './common/filters/error-response';
import { clientErrorResponder } from './common/http/client-errors';
import { registerJsonBodyParser } from './common/http/json-body-parser';
import { AppConfig } from './config/app-config';
import { EnvOverrides, readConfig } from './config/config.module';
import { translateDatabaseError } from './database/database-errors';
import { compileResponseSerializers } from './openapi/response-serializers';
import { allowedMethodsIndex, listRoutes } from './openapi/route-catalogue';
import { buildOpenApiDocument, setupSwagger } from './openapi/swagger';
import { AccessLog } from './platform/logging/access-log';
import { LazyChildLogger } from './platform/logging/lazy-child-logger';
import { loggerParams } from './platform/logging/logging.module';
import { requestId } from './platform/logging/request-id';
import { createRootLogger } from './platform/logging/root-logger';
import { applyPlatformTuning } from './platform/platform-tuning';
import { computeSecurityHeaders, registerSecurityHeaders } from './platform/security-headers';
import { registerWebPage } from './web/web-page';
import fastifyCors from '@fastify/cors';
import { Metrics } from './metrics/metrics';

/**
 * Nest's own body parser is off: `configureApp` installs the JSON parser.
 * A failure while starting rejects (`abortOnError: false`), so that the
 * caller reports it as a log line instead of Nest exiting on its own.
 */
export function appOptions(logger: PinoLogger) {
  return { logger: new Logger(logger, {}), bodyParser: false, abortOnError: false };
}

/** Nest's logger from the start, writing through the root logger. */
export const nestLoggerFor = (logger: PinoLoggerInstance) => new PinoLogger(loggerParams(logger));

/** Errors of lower layers that the exception filter turns into API errors. */
const ERROR_TRANSLATORS: ErrorTranslator[] = [translateDatabaseError];

export interface AppOptions {
  env?: EnvOverrides;
  /** Extra modules beside the service's own (the bench's routes, say). */
  imports?: ModuleMetadata['imports'];
}

/** Builds the application with every global concern applied. It does not listen. */
export async function createApp(options: AppOptions = {}): Promise<NestFastifyApplication> {
  const config = readConfig(options.env);
  applyPlatformTuning(config);
  const logger = createRootLogger(config.logging);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, options.imports),
    createAdapter(config, logger),
    appOptions(nestLoggerFor(logger)),
  );
  await configureApp(app, config);
  return app;
}

/** Fastify, logging its one access line per request through the root logger. */
export function createAdapter(config: AppConfig, logger: PinoLoggerInstance): FastifyAdapter {
  const { http, tuning } = config;
  return new FastifyAdapter({
    bodyLimit: http.bodyLimitBytes,
    trustProxy: http.trustProxy,
    // The whole request, body included, must arrive within the timeout; Node checks every second.
    requestTimeout: http.requestTimeoutMs,
    http: { headersTimeout: http.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, http.requestTimeoutMs) },
    clientErrorHandler: clientErrorResponder(computeSecurityHeaders()),
    genReqId: requestId,
    loggerInstance: logger,
    ...(tuning.lazyRequestLogger && { childLoggerFactory: LazyChildLogger.factory }),
    logController: new AccessLog(),
    // Errors Fastify raises before Nest sees the request (a malformed URL) get the same body.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { body, headers } = toErrorResponse(error, ERROR_TRANSLATORS);
      void reply.code(body.statusCode).headers(headers).send(body);
    },
  });
}

/** The global setup shared by the server, the e2e tests and the OpenAPI generator. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Bodies are JSON only: anything else is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain');
  // The guard sets these on every request; declared up front, they keep Fastify's request objects one
  // shape instead of reshaping each one (measurably slower).
  fastify.decorateRequest('user', null);
  fastify.decorateRequest('routeAccess', null);
  fastify.decorateRequest('errorCode', null);
  registerJsonBodyParser(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.enableShutdownHooks();
  app.useGlobalFilters(new AllExceptionsFilter(ERROR_TRANSLATORS, allowedMethodsIndex(listRoutes(app))));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ApiException('validation_failed', 'The request is not valid', { details: flatten(errors) }),
    }),
  );
  registerSecurityHeaders(fastify, config.tuning.precomputedSecurityHeaders);
  if (config.http.corsOrigins.length > 0) await registerCors(app, config.http.corsOrigins);
  if (config.metrics.port !== undefined) fastify.addHook('onResponse', app.get(Metrics).onResponse);
  if (config.tuning.compiledSerializers) compileResponseSerializers(app, buildOpenApiDocument(app));
  await registerWebPage(app);
  setupSwagger(app, { trustProxy: config.http.trustProxy });
}

/**
 * Browser pages of these exact origins may call the API. A preflight is
 * answered before any route or guard runs; no cookies are involved, so
 * credentials are never allowed, and the headers a client reads are exposed.
 */
async function registerCors(app: NestFastifyApplication, origins: string[]): Promise<void> {
  await app.register(fastifyCors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate', 'X-Request-Id', 'Allow'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
