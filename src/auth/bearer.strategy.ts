/**
 * The one bearer strategy. It is a composite: the API-keys module is asked
 * first (it declines anything without the `mgp_` prefix and rejects malformed
 * keys without I/O), then the token is verified as a session JWT. It only
 * turns a credential into a principal.
 *
 * It is passport-http-bearer's strategy, registered with passport as
 * `bearer`, so `AuthGuard('bearer')` works in an extension module. The global
 * guard, which has already parsed the header more strictly than passport
 * does, calls `read` and `admit` instead of going through
 * `passport.authenticate`: passport's per-request machinery is asynchronous
 * and cost more than the verification itself, which at steady state answers
 * synchronously from memory.
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyCredential, ApiKeysService } from '../api-keys/api-keys.service';
import { BearerAuthenticator } from '../common/guards/bearer-authenticator';
import { MaybePromise } from '../common/maybe-promise';
import { Principal } from '../common/principal';
import { SessionCredential, SessionsService } from './sessions.service';

type StrategyRequest = Parameters<Strategy<never>['authenticate']>[0];

type BearerCredential = ApiKeyCredential | SessionCredential;

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') implements BearerAuthenticator<BearerCredential> {
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
    return this.admit(this.read(token));
  }

  read(token: string): BearerCredential {
    return this.apiKeys.read(token) ?? this.sessions.read(token);
  }

  admit(credential: BearerCredential): MaybePromise<Principal> {
    return credential.method === 'api_key' ? this.apiKeys.admit(credential) : this.sessions.admit(credential);
  }
}
