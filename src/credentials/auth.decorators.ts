import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

export const AUTH_POLICY = 'auth:policy';

/** Every route states one of these; the route audit enforces it. */
export type AuthPolicy = 'public' | 'any_credential' | 'session_only';

export const API_KEY_SCHEME = 'api_key';
export const SESSION_SCHEME = 'session';

/** No credential needed (signup, login, refresh, health). */
export const Public = () => SetMetadata(AUTH_POLICY, 'public' satisfies AuthPolicy);

/**
 * A bearer credential is required: an API key or a session token, or with
 * `sessionOnly` a session token only. The OpenAPI document shows the
 * security schemes and the credential errors.
 */
export function Authenticated(options: { sessionOnly?: boolean } = {}) {
  const policy: AuthPolicy = options.sessionOnly ? 'session_only' : 'any_credential';
  return applyDecorators(
    SetMetadata(AUTH_POLICY, policy),
    ...(options.sessionOnly ? [ApiBearerAuth(SESSION_SCHEME)] : [ApiBearerAuth(API_KEY_SCHEME), ApiBearerAuth(SESSION_SCHEME)]),
  );
}
