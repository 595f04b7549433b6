import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ScopeName } from './scopes';

export const AUTH_POLICY = 'auth:policy';
export const REQUIRED_SCOPE = 'auth:scope';

/** A route's scope: a name, or `NO_SCOPE` for a route any credential may call (whoami). */
export const NO_SCOPE = '';

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
    // A session token holds every scope, so a route only sessions reach needs none.
    ...(options.sessionOnly ? [SetMetadata(REQUIRED_SCOPE, NO_SCOPE)] : []),
    ...(options.sessionOnly ? [ApiBearerAuth(SESSION_SCHEME)] : [ApiBearerAuth(API_KEY_SCHEME), ApiBearerAuth(SESSION_SCHEME)]),
  );
}

/**
 * The scope an API key needs for this route (or every route of a
 * controller); a key without it gets 403 `insufficient_scope`. Session
 * tokens hold every scope. Every authenticated route declares one: the route
 * audit fails for one that does not, and the guard lets only full-access
 * credentials call it.
 */
export const RequiresScope = (scope: ScopeName) => SetMetadata(REQUIRED_SCOPE, scope);

/** Declares that a route needs no scope: any valid credential may call it (`whoami`, which tells the caller about itself). */
export const RequiresNoScope = () => SetMetadata(REQUIRED_SCOPE, NO_SCOPE);
