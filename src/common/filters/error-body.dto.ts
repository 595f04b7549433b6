import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-catalogue';

export class FieldErrorDto {
  /** The offending field, in snake_case as sent. @example "name" */
  field: string;
  /** @example "name must be shorter than or equal to 64 characters" */
  message: string;
}

/** The body of every error response. */
export class ErrorBodyDto {
  /** @example 401 */
  statusCode: number;
  /** @example "Unauthorized" */
  error: string;
  // The enum is filled in when the document is built: every code the app's modules define.
  @ApiProperty({ enum: ['validation_failed'], enumName: 'ErrorCode', example: 'invalid_token' })
  code: ErrorCode;
  /** @example "Invalid or expired token" */
  message: string;
  /** Present on some 400 responses. */
  details?: FieldErrorDto[];
}
