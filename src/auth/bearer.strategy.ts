/**
 * The one bearer strategy, composed of the features' verifiers: the API-key
 * verifier is asked first (it declines anything without the `mgp_` prefix
 * and rejects malformed keys without I/O), then the token is verified as a
 * session JWT. It only turns a credential into a principal.
 *
 * It is passport-http-bearer's strategy, registered with passport as
 * `bearer`, so `AuthGuard('bearer')` works in an extension module, with the
 * same route policy as the global guard. The global guard calls `read` and
 * `admit` directly: passport's per-request machinery is asynchronous, and
 * cost more than the verification itself, which at steady state answers
 * synchronously from memory.
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeyCredential, ApiKeyVerifier } from '../api-keys/api-key.verifier';
import { BearerAuthenticator } from '../credentials/bearer-authenticator';
import { authorizationOf } from '../credentials/bearer-header';
import { AuthenticatedRequest } from '../credentials/bearer-auth.guard';
import { MaybePromise } from '../credentials/maybe-promise';
import { Principal } from '../credentials/principal';
import { authorize, routeAccess } from '../credentials/route-access';
import { SessionCredential, SessionVerifier } from './session.verifier';

type StrategyRequest = Parameters<Strategy<never>['authenticate']>[0];

type BearerCredential = ApiKeyCredential | SessionCredential;

/** A route that runs passport without the global guard's record: any credential, as a public route that runs passport. */
const PASSPORT_ONLY = routeAccess('public', undefined);

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') implements BearerAuthenticator<BearerCredential> {
  constructor(
    private readonly apiKeys: ApiKeyVerifier,
    private readonly sessions: SessionVerifier,
  ) {
    super({ passReqToCallback: true });
  }

  /** For passport: only the Authorization header counts, never `access_token` from the query string or body. */
  override authenticate(request: StrategyRequest, options?: object): void {
    const { routeAccess, raw } = request as unknown as AuthenticatedRequest;
    // Two Authorization headers throw here, and AuthGuard rejects with that error.
    const headerOnly = { headers: { authorization: authorizationOf({ headers: request.headers, raw }) }, routeAccess };
    super.authenticate(headerOnly as unknown as StrategyRequest, options);
  }

  /** For passport: the route's access rule, as the global guard recorded it, applies here too. */
  async validate(request: Pick<AuthenticatedRequest, 'routeAccess'>, token: string): Promise<Principal> {
    const principal = await this.admit(this.read(token));
    return authorize(principal, request.routeAccess ?? PASSPORT_ONLY);
  }

  read(token: string): BearerCredential {
    return this.apiKeys.read(token) ?? this.sessions.read(token);
  }

  admit(credential: BearerCredential): MaybePromise<Principal> {
    return credential.method === 'api_key' ? this.apiKeys.admit(credential) : this.sessions.admit(credential);
  }
}
