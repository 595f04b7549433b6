import { HttpException } from '@nestjs/common';
import './common-errors';
import { ErrorCode, errorDefinition } from './error-catalogue';

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiExceptionExtras {
  details?: FieldError[];
  /** Seconds, sent as `Retry-After`. */
  retryAfterS?: number;
  /** Further response headers, such as `Allow` on a 405. */
  headers?: Record<string, string>;
}

/**
 * An error with a stable `code`; the HTTP status follows from the code. The
 * exception filter turns it into the body from API.md.
 */
export class ApiException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string = errorDefinition(code).message,
    readonly extras: ApiExceptionExtras = {},
  ) {
    super(message, errorDefinition(code).status);
  }
}
