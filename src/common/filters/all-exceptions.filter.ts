import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ErrorTranslator } from '../errors/error-translator';
import { toErrorResponse } from './error-response';

/** The one place that writes error bodies. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `translators` turn errors of lower layers (the database's) into API errors. */
  constructor(private readonly translators: readonly ErrorTranslator[] = []) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, headers, unexpected } = toErrorResponse(error, this.translators);
    if (unexpected) {
      const { name, message } = error instanceof Error ? error : { name: 'NonError', message: String(error) };
      // Never the error object itself: a QueryFailedError carries its parameters.
      this.logger.error({ err: { type: name, message } }, 'Unhandled error');
    } else if (body.code === 'service_unavailable') {
      this.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Service unavailable');
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }
}
