import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule, Params } from 'nestjs-pino';
import { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { createRootLogger } from './root-logger';

/**
 * Nest's Logger, writing JSON through pino. Requests are logged by Fastify
 * itself (see AccessLog), which costs far less than a logging middleware on
 * every request.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        loggerParams(createRootLogger(config.get('logging', { infer: true }))),
    }),
  ],
})
export class LoggingModule {}
