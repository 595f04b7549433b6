import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../filters/error-body.dto';

export const AUTH_POLICY = 'auth:policy';

/** Every route states one of these; the route-audit spec enforces it. */
export type AuthPolicy = 'public' | 'any_credential' | 'session_only';

export const API_KEY_SCHEME = 'api_key';
export const SESSION_SCHEME = 'session';

/** No credential needed (signup, login, refresh, health, docs). */
export const Public = () => SetMetadata(AUTH_POLICY, 'public' satisfies AuthPolicy);

/**
 * A bearer credential is required: an API key or a session token, or with
 * `sessionOnly` a session token only. Also documents the security schemes
 * and the 401 response.
 */
export function Authenticated(options: { sessionOnly?: boolean } = {}) {
  const policy: AuthPolicy = options.sessionOnly ? 'session_only' : 'any_credential';
  const decorators = [
    SetMetadata(AUTH_POLICY, policy),
    ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'Missing, invalid, expired or revoked credential' }),
  ];
  if (options.sessionOnly) {
    decorators.push(
      ApiBearerAuth(SESSION_SCHEME),
      ApiForbiddenResponse({ type: ErrorBodyDto, description: '`session_required`: called with an API key' }),
    );
  } else {
    decorators.push(ApiBearerAuth(API_KEY_SCHEME), ApiBearerAuth(SESSION_SCHEME));
  }
  return applyDecorators(...decorators);
}
