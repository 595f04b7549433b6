import { HttpException } from '@nestjs/common';
import { ERROR_CATALOGUE, ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiExceptionExtras {
  details?: FieldError[];
  /** Seconds, sent as `Retry-After`. */
  retryAfterS?: number;
}

/**
 * An error with a stable `code`; the HTTP status follows from the code. The
 * exception filter turns it into the body from API.md.
 */
export class ApiException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code][1],
    readonly extras: ApiExceptionExtras = {},
  ) {
    super(message, ERROR_CATALOGUE[code][0]);
  }
}
