import { ApiException } from '../common/errors/api-exception';
import { AuthPolicy } from './auth.decorators';
import './credential-errors';
import { Principal } from './principal';

/** What a route asks of its caller, from its decorators. */
export interface RouteAccess {
  /** Undecided routes are denied like protected ones. */
  policy: AuthPolicy | undefined;
}

/**
 * Whether `principal` may call a route with `access`: the one check shared by
 * the global guard and passport's `validate`. A public route that runs
 * passport itself accepts any credential.
 */
export function authorize(principal: Principal, access: RouteAccess): Principal {
  if (access.policy === 'session_only' && principal.method !== 'session') throw new ApiException('session_required');
  return principal;
}
