import { FastifyReply, FastifyRequest, LogController } from 'fastify';

/**
 * One JSON line per request, written when it completes, with the request id,
 * method, path (never the query string), status and time; Fastify's default
 * would write two lines and the whole URL.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // `reqId` is bound by Fastify on request.log.
    const line = {
      method: request.method,
      path: request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) request.log.error({ ...line, err: { type: error.name, message: error.message } }, 'request errored');
    else request.log.info(line, 'request completed');
  }
}
