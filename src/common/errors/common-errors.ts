import { CodesOf, defineErrorCodes } from './error-catalogue';

/** The codes that belong to no feature: validation, routing, bodies, limits and failures. */
export const COMMON_ERRORS = defineErrorCodes({
  validation_failed: [400, 'The request is not valid'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  conflict: [409, 'The resource already exists'],
  payload_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'Request bodies must be application/json'],
  rate_limited: [429, 'Too many attempts; try again later'],
  internal_error: [500, 'Internal server error'],
  service_unavailable: [503, 'The database cannot be reached; try again shortly'],
});

declare module './error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof COMMON_ERRORS> {}
}

/** The errors any route with a JSON body can answer. */
export const JSON_BODY_ERRORS = ['validation_failed', 'payload_too_large', 'unsupported_media_type'] as const;
