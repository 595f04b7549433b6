import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule, Params } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';

/**
 * Paths pino removes from every line. Request bodies and headers are not
 * logged at all; these also cover anything that logs an object with secret
 * fields.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.key',
  '*.authorization',
];

/** JSON logs, one line per request with its id (see request-id.ts), and secrets redacted. */
export function loggerParams(logging: AppConfig['logging'], destination?: DestinationStream): Params {
  const options = {
    level: logging.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customProps: () => ({ service: 'magpipe-auth' }),
    serializers: {
      // Method and path only: the query string may carry anything a client put there.
      req: (request: { id: string; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => loggerParams(config.get('logging', { infer: true })),
    }),
  ],
})
export class LoggingModule {}
