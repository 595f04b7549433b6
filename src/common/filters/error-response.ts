import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ApiException, FieldError } from '../errors/api-exception';
import { ErrorCode } from '../errors/error-catalogue';
import { ErrorTranslator } from '../errors/error-translator';

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
}

export interface ErrorResponse {
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for failures of ours (5xx) that deserve an error log line. */
  unexpected: boolean;
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'invalid_token',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const REALM = 'Bearer realm="magpipe"';
/** A 503 that gives no time of its own (a database outage) asks the client to wait this long. */
export const DEFAULT_RETRY_AFTER_S = 5;

/** Maps any thrown value to the error body of API.md; never leaks internals. */
export function toErrorResponse(error: unknown, translators: readonly ErrorTranslator[] = []): ErrorResponse {
  const { status, code, message, details, retryAfterS, headers: extraHeaders } = classify(translate(error, translators));
  const headers: Record<string, string> = { ...extraHeaders };
  if (status === 401) {
    headers['www-authenticate'] =
      code === 'missing_authorization'
        ? REALM
        : `${REALM}, error="invalid_token", error_description="${message.replace(/["\\]/g, '')}"`;
  }
  if (retryAfterS !== undefined) headers['retry-after'] = String(retryAfterS);
  else if (status === 503) headers['retry-after'] = String(DEFAULT_RETRY_AFTER_S);
  const body: ErrorBody = { statusCode: status, error: STATUS_CODES[status] ?? 'Error', code, message };
  if (details?.length) body.details = details;
  return { body, headers, unexpected: status >= 500 && code !== 'service_unavailable' };
}

interface Classified {
  status: number;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
  retryAfterS?: number;
  headers?: Record<string, string>;
}

function translate(error: unknown, translators: readonly ErrorTranslator[]): unknown {
  if (error instanceof HttpException) return error;
  for (const translator of translators) {
    const translated = translator(error);
    if (translated) return translated;
  }
  return error;
}

function classify(error: unknown): Classified {
  if (error instanceof ApiException) {
    return { status: error.getStatus(), code: error.code, message: error.message, ...error.extras };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: CODE_BY_STATUS[status] ?? 'internal_error', message: httpExceptionMessage(error) };
  }
  const fastifyStatus = fastifyClientErrorStatus(error);
  if (fastifyStatus !== undefined) {
    const { code } = error as { code: string };
    return { status: fastifyStatus, code: CODE_BY_STATUS[fastifyStatus] ?? 'validation_failed', message: fastifyMessage(code) };
  }
  return { status: 500, code: 'internal_error', message: 'Internal server error' };
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

/** Fastify rejects bad bodies (malformed JSON, too large, wrong type) before Nest sees them. */
function fastifyClientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return statusCode;
  return undefined;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Request bodies must be application/json',
  FST_ERR_BAD_URL: 'The URL is malformed',
};

function fastifyMessage(code: string): string {
  return FASTIFY_MESSAGES[code] ?? 'The request body is not valid JSON';
}
