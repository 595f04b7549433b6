import { CodesOf, defineErrorCodes } from './error-catalogue';

/** The codes that belong to no feature: validation, routing, bodies, limits and failures. */
export const COMMON_ERRORS = defineErrorCodes({
  validation_failed: [400, 'The request is not valid'],
  malformed_request: [400, 'The request is not valid HTTP'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  request_timeout: [408, 'The request took too long to arrive'],
  conflict: [409, 'The resource already exists'],
  payload_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'Request bodies must be application/json'],
  rate_limited: [429, 'Too many attempts; try again later'],
  headers_too_large: [431, 'The request headers are too large'],
  internal_error: [500, 'Internal server error'],
  service_unavailable: [503, 'The database cannot be reached; try again shortly'],
});

declare module './error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof COMMON_ERRORS> {}
}

/**
 * What the HTTP layer answers before routing, on any route: a request that is
 * not valid HTTP (a control character in a header, `Content-Length` with
 * `Transfer-Encoding`), one that arrives too slowly, or headers too large.
 */
export const HTTP_EDGE_ERRORS = ['malformed_request', 'request_timeout', 'headers_too_large'] as const;

/** Errors any route can answer, whatever its credentials. */
export const SERVER_ERRORS = ['internal_error', 'service_unavailable'] as const;

/** The errors any route with a JSON body can answer. */
export const JSON_BODY_ERRORS = ['validation_failed', 'payload_too_large', 'unsupported_media_type'] as const;
