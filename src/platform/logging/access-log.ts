import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import { Logger } from 'pino';

/**
 * One JSON line per request, written when it completes, with the request id,
 * method, path (never the query string), status and time; Fastify's default
 * would write two lines and the whole URL.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const level = error ? 'error' : 'info';
    // A route's own logLevel still applies: request.log (a LazyChildLogger) knows it without building a child.
    if (!(request.log as Logger).isLevelEnabled(level)) return;
    const line = {
      reqId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    // Through the root logger, with the id as a field: the same line as through request.log, without
    // building that request's child logger.
    if (error) request.server.log.error({ ...line, err: { type: error.name, message: error.message } }, 'request errored');
    else request.server.log.info(line, 'request completed');
  }
}
