import { ApiException } from '../common/errors/api-exception';
import { AuthPolicy, NO_SCOPE } from './auth.decorators';
import './credential-errors';
import { Principal } from './principal';
import { FULL_ACCESS, holdsScope } from './scopes';

/** What a route asks of its caller, from its decorators. */
export interface RouteAccess {
  /** Undecided routes are denied like protected ones. */
  policy: AuthPolicy | undefined;
  /** The scope it needs; `NO_SCOPE` for none. A route that declares none needs full access. */
  scope: string;
}

/** A route's access rule from what its decorators say. */
export function routeAccess(policy: AuthPolicy | undefined, declaredScope: string | undefined): RouteAccess {
  return { policy, scope: declaredScope ?? FULL_ACCESS };
}

/**
 * RFC 6750 §3.1's 403: with the scope a route needs, in the challenge as well
 * as the body; without one, for asking more than the credential holds.
 */
export function insufficientScope(scope?: string, message?: string): ApiException {
  const needed = scope === FULL_ACCESS ? 'full access' : `the scope ${scope}`;
  return new ApiException('insufficient_scope', message ?? `This API key lacks ${needed}`, {
    headers: { 'www-authenticate': `Bearer realm="magpipe", error="insufficient_scope"${scope ? `, scope="${scope}"` : ''}` },
  });
}

/**
 * Whether `principal` may call a route with `access`: the one check shared by
 * the global guard and passport's `validate`. A public route that runs
 * passport itself accepts any credential.
 */
export function authorize(principal: Principal, access: RouteAccess): Principal {
  if (access.policy === 'public') return principal;
  if (access.policy === 'session_only' && principal.method !== 'session') throw new ApiException('session_required');
  if (access.scope !== NO_SCOPE && !holdsScope(principal.scopes, access.scope)) throw insufficientScope(access.scope);
  return principal;
}
