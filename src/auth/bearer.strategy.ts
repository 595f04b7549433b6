/**
 * The one bearer strategy behind the global guard. It is a composite: the
 * API-keys module is asked first (it declines anything without the `mgp_`
 * prefix and rejects malformed keys without I/O), then the token is verified
 * as a session JWT. It only turns a credential into a principal.
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { Principal } from '../common/principal';
import { SessionsService } from './sessions.service';

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  /** Only the Authorization header counts: never `access_token` from the query string or body. */
  override authenticate(request: Parameters<Strategy<never>['authenticate']>[0], options?: object): void {
    const headerOnly = { headers: { authorization: request.headers.authorization } };
    super.authenticate(headerOnly as typeof request, options);
  }

  async validate(token: string): Promise<Principal> {
    return (await this.apiKeys.authenticate(token)) ?? (await this.sessions.authenticate(token));
  }
}
