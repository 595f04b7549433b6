import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one place that writes error bodies. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, headers, unexpected } = toErrorResponse(error);
    if (unexpected) {
      const { name, message } = error instanceof Error ? error : { name: 'NonError', message: String(error) };
      // Never the error object itself: a QueryFailedError carries its parameters.
      this.logger.error({ err: { type: name, message } }, 'Unhandled error');
    } else if (body.code === 'service_unavailable') {
      this.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Database unavailable');
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }
}
