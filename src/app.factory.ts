import { ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { ApiException, FieldError } from './common/errors/api-exception';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { toErrorResponse } from './common/filters/error-response';
import { registerJsonBodyParser } from './common/json-body-parser';
import { registerSecurityHeaders } from './common/security-headers';
import { readConfig, EnvOverrides } from './config/config.module';
import { AccessLog } from './logging/access-log';
import { LazyChildLogger } from './logging/lazy-child-logger';
import { requestId } from './logging/request-id';
import { createRootLogger } from './logging/root-logger';
import { setupSwagger } from './openapi/swagger';
import { registerWebPage } from './web/web-page';

/** Nest's own body parser is off: `configureApp` installs the JSON parser. */
export const APP_OPTIONS = { bufferLogs: true, bodyParser: false };

/** Builds the application with every global concern applied. It does not listen. */
export async function createApp(env: EnvOverrides = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), createAdapter(env), APP_OPTIONS);
  await configureApp(app);
  return app;
}

/** Fastify, with its own pino logger for the one access-log line per request. */
export function createAdapter(env: EnvOverrides = {}, logDestination?: DestinationStream): FastifyAdapter {
  const { http, logging } = readConfig(env);
  return new FastifyAdapter({
    bodyLimit: http.bodyLimitBytes,
    trustProxy: http.trustProxy,
    genReqId: requestId,
    loggerInstance: createRootLogger(logging, logDestination),
    childLoggerFactory: LazyChildLogger.factory,
    logController: new AccessLog(),
    // Errors Fastify raises before Nest sees the request (a malformed URL) get the same body.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const { body, headers } = toErrorResponse(error);
      void reply.code(body.statusCode).headers(headers).send(body);
    },
  });
}

/** The global setup shared by the server, the e2e tests and the OpenAPI generator. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Bodies are JSON only: anything else is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain');
  // The guard sets the principal on every authenticated request; declared up front, it keeps
  // Fastify's request objects one shape instead of reshaping each one (measurably slower).
  fastify.decorateRequest('user', null);
  registerJsonBodyParser(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.enableShutdownHooks();
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ApiException('validation_failed', 'The request is not valid', { details: flatten(errors) }),
    }),
  );
  registerSecurityHeaders(fastify);
  await registerWebPage(app);
  setupSwagger(app);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
