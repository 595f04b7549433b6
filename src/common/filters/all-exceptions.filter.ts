import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../errors/api-exception';
import { ErrorTranslator } from '../errors/error-translator';
import { toErrorResponse } from './error-response';

/** The methods a path answers, for a 405; undefined when no route has the path. */
export type AllowedMethods = (path: string) => string[] | undefined;

/** The one place that writes error bodies. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /**
   * `translators` turn errors of lower layers (the database's) into API
   * errors; `allowedMethods` turns a request that no route takes, on a path
   * that some route has, into a 405.
   */
  constructor(
    private readonly translators: readonly ErrorTranslator[] = [],
    private readonly allowedMethods: AllowedMethods = () => undefined,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest & { errorCode?: string | null }>();
    const { body, headers, unexpected } = toErrorResponse(this.methodNotAllowed(error, request) ?? error, this.translators);
    // For the metrics: the code answered.
    if (request) request.errorCode = body.code;
    if (unexpected) {
      const { name, message } = error instanceof Error ? error : { name: 'NonError', message: String(error) };
      // Never the error object itself: a QueryFailedError carries its parameters.
      this.logger.error({ err: { type: name, message } }, 'Unhandled error');
    } else if (body.code === 'service_unavailable') {
      this.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'Service unavailable');
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }

  /** Routing found no route for the method, but the path has others. */
  private methodNotAllowed(error: unknown, request: FastifyRequest | undefined): ApiException | undefined {
    if (!(error instanceof NotFoundException) || error instanceof ApiException || !request?.is404) return undefined;
    const allowed = this.allowedMethods(request.url.split('?')[0]);
    if (!allowed) return undefined;
    return new ApiException('method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}
