/** The stable, machine-readable `code` of every error body (see API.md). */
export const ERROR_CODES = [
  'validation_failed',
  'missing_authorization',
  'invalid_token',
  'token_expired',
  'api_key_revoked',
  'invalid_credentials',
  'invalid_refresh_token',
  'session_required',
  'not_found',
  'method_not_allowed',
  'email_taken',
  'api_key_limit_reached',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'service_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
