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

/**
 * An error as a log line may show it: its type, message and codes. Never the
 * whole object: Node's parser errors carry the raw request (`rawPacket`),
 * and a query error its parameters.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    // What a caller already reduced to `{ type?, message }`: those fields, and only those.
    if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return fieldsOf(error);
    return { type: typeof error, message: String(error) };
  }
  return { ...fieldsOf(error), type: error.name };
}

function fieldsOf(error: object): Record<string, unknown> {
  const { type, message, code, statusCode } = error as { type?: unknown; message: string; code?: unknown; statusCode?: unknown };
  return {
    ...(typeof type === 'string' && { type }),
    message,
    ...(typeof code === 'string' && { code }),
    ...(typeof statusCode === 'number' && { statusCode }),
  };
}

/** A request or response as a log line may show it: no headers, no body, no query string. */
const SERIALIZERS = {
  err: loggableError,
  error: loggableError,
  req: (request: { method?: string; url?: string; id?: string }) => ({
    method: request.method,
    path: request.url?.split('?')[0],
    id: request.id,
  }),
  res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
};

/** The one pino logger: Fastify logs requests with it, and Nest's Logger writes to it. */
export function createRootLogger(logging: AppConfig['logging'], destination?: DestinationStream): Logger {
  const options = {
    level: logging.level,
    base: { service: 'magpipe-auth' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: SERIALIZERS,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
