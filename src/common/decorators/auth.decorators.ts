import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from './api-errors.decorator';

export const AUTH_POLICY = 'auth:policy';

/** Every route states one of these; the route-audit spec enforces it. */
export type AuthPolicy = 'public' | 'any_credential' | 'session_only';

export const API_KEY_SCHEME = 'api_key';
export const SESSION_SCHEME = 'session';

/** Errors any route can answer, whatever its credentials. */
const SERVER_ERRORS = ['internal_error', 'service_unavailable'] as const;

/** No credential needed (signup, login, refresh, health). */
export const Public = () => applyDecorators(SetMetadata(AUTH_POLICY, 'public' satisfies AuthPolicy), ApiErrors(...SERVER_ERRORS));

/**
 * A bearer credential is required: an API key or a session token, or with
 * `sessionOnly` a session token only. Also documents the security schemes
 * and the credential errors.
 */
export function Authenticated(options: { sessionOnly?: boolean } = {}) {
  const policy: AuthPolicy = options.sessionOnly ? 'session_only' : 'any_credential';
  const credentialErrors = ['missing_authorization', 'invalid_token', 'token_expired', 'api_key_revoked'] as const;
  return applyDecorators(
    SetMetadata(AUTH_POLICY, policy),
    ...(options.sessionOnly
      ? [ApiBearerAuth(SESSION_SCHEME), ApiErrors(...credentialErrors, 'session_required', ...SERVER_ERRORS)]
      : [ApiBearerAuth(API_KEY_SCHEME), ApiBearerAuth(SESSION_SCHEME), ApiErrors(...credentialErrors, ...SERVER_ERRORS)]),
  );
}
