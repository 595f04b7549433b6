import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error with a stable `code`. The exception filter turns it into the body
 * from API.md: `{ statusCode, error, code, message, details? }`.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
    /** Seconds, sent as `Retry-After`. */
    readonly retryAfterS?: number,
  ) {
    super(message, status);
  }
}

export const unauthorized = (code: ErrorCode, message: string) =>
  new ApiException(HttpStatus.UNAUTHORIZED, code, message);

export const notFound = (what: string) => new ApiException(HttpStatus.NOT_FOUND, 'not_found', `${what} not found`);
