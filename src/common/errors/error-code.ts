/**
 * The stable, machine-readable `code` of every error body (see API.md), with
 * its HTTP status and a typical message (used for the OpenAPI examples).
 */
export const ERROR_CATALOGUE = {
  validation_failed: [400, 'The request is not valid'],
  missing_authorization: [401, 'Authorization header is required'],
  invalid_token: [401, 'Invalid or expired token'],
  token_expired: [401, 'The access token has expired'],
  api_key_revoked: [401, 'This API key has been revoked'],
  invalid_credentials: [401, 'Invalid email or password'],
  invalid_refresh_token: [401, 'Invalid refresh token; sign in again'],
  session_required: [403, 'This route needs a session token, not an API key'],
  not_found: [404, 'Not found'],
  method_not_allowed: [405, 'Method not allowed'],
  email_taken: [409, 'An account with this email already exists'],
  api_key_limit_reached: [409, 'You can have at most 10 active API keys. Revoke one to create another.'],
  conflict: [409, 'The resource already exists'],
  payload_too_large: [413, 'The request body is too large'],
  unsupported_media_type: [415, 'Request bodies must be application/json'],
  rate_limited: [429, 'Too many attempts; try again later'],
  internal_error: [500, 'Internal server error'],
  service_unavailable: [503, 'The database cannot be reached; try again shortly'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The errors any route with a JSON body can answer. */
export const JSON_BODY_ERRORS = ['validation_failed', 'payload_too_large', 'unsupported_media_type'] as const;
