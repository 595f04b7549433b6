import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule, Params } from 'nestjs-pino';
import { Logger } from 'pino';

/**
 * Nest's Logger, writing JSON through the one root logger that Fastify also
 * logs requests with (see AccessLog); no logging middleware runs per request.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot(loggerParams(logger))] };
  }
}
