/**
 * The one bearer strategy. It is a composite: the API-keys module is asked
 * first (it declines anything without the `mgp_` prefix and rejects malformed
 * keys without I/O), then the token is verified as a session JWT. It only
 * turns a credential into a principal.
 *
 * It is passport-http-bearer's strategy, registered with passport as
 * `bearer`, so `AuthGuard('bearer')` works in an extension module. The global
 * guard, which has already parsed the header more strictly than passport
 * does, calls `verifyBearer` instead of going through `passport.authenticate`:
 * passport's per-request machinery is asynchronous and cost more than the
 * verification itself, which at steady state answers synchronously from
 * memory.
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { BearerAuthenticator } from '../common/guards/bearer-authenticator';
import { MaybePromise } from '../common/maybe-promise';
import { Principal } from '../common/principal';
import { SessionsService } from './sessions.service';

type StrategyRequest = Parameters<Strategy<never>['authenticate']>[0];

const BEARER_PREFIX_LENGTH = 'Bearer '.length;

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') implements BearerAuthenticator {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  /** For passport: only the Authorization header counts, never `access_token` from the query string or body. */
  override authenticate(request: StrategyRequest, options?: object): void {
    const headerOnly = { headers: { authorization: request.headers.authorization } };
    super.authenticate(headerOnly as StrategyRequest, options);
  }

  /** For passport. */
  async validate(token: string): Promise<Principal> {
    return this.verify(token);
  }

  /** For the global guard: `authorization` is a well-formed `Bearer <token>` header. */
  verifyBearer(authorization: string): MaybePromise<Principal> {
    return this.verify(authorization.slice(BEARER_PREFIX_LENGTH));
  }

  private verify(token: string): MaybePromise<Principal> {
    return this.apiKeys.authenticate(token) ?? this.sessions.authenticate(token);
  }
}
