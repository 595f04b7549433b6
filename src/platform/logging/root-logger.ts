import pino, { DestinationStream, Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

/**
 * Paths pino removes from every line. Request bodies, headers and query
 * strings are not logged at all; these also cover anything that logs an
 * object with secret fields.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...['password', 'token', 'access_token', 'refresh_token', 'key', 'authorization'].flatMap((field) => [field, `*.${field}`]),
];

/** The one pino logger: Fastify logs requests with it, and Nest's Logger writes to it. */
export function createRootLogger(logging: AppConfig['logging'], destination?: DestinationStream): Logger {
  const options = {
    level: logging.level,
    base: { service: 'magpipe-auth' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
