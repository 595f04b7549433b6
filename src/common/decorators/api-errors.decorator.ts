import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CATALOGUE, ErrorCode } from '../errors/error-code';
import { ErrorBodyDto } from '../filters/error-body.dto';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const HEADERS_BY_STATUS: Record<number, Record<string, { description: string; schema: { type: 'string' | 'integer' } }>> = {
  401: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge: `Bearer realm="magpipe"`, with `error="invalid_token"` when a credential was sent',
      schema: { type: 'string' },
    },
  },
  429: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
};

/**
 * Documents the error responses a route can give, by `code`: one response per
 * status, the shared error schema, and an example for each code. Call it once
 * per route or controller; `@Public()` and `@Authenticated()` add their own.
 */
export function ApiErrors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOGUE[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ...[...byStatus].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: statusCodes.map((code) => `\`${code}\``).join(', '),
        headers: HEADERS_BY_STATUS[status],
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorBodyDto) },
            examples: Object.fromEntries(
              statusCodes.map((code) => [
                code,
                { value: { statusCode: status, error: STATUS_TEXT[status], code, message: ERROR_CATALOGUE[code][1] } },
              ]),
            ),
          },
        },
      }),
    ),
  );
}
