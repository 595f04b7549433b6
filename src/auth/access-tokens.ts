import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { AppConfig } from '../config/app-config';
import './auth.errors';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidToken = () => new ApiException('invalid_token', 'Invalid or expired token');

/**
 * Session access tokens: HS256 JWTs, pinned to that algorithm, issuer and
 * audience. `verify` checks what the token alone tells; expiry, which
 * depends on the time, is `assertUnexpired`, on every use.
 */
@Injectable()
export class AccessTokens {
  private readonly ttlS: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlS = config.get('auth', { infer: true }).accessTokenTtlS;
  }

  sign(userId: string, sessionId: string): { token: string; expiresAt: number; expiresIn: number } {
    const iat = this.clock.nowSeconds();
    const exp = iat + this.ttlS;
    return { token: this.jwt.sign({ sub: userId, sid: sessionId, iat, exp }), expiresAt: exp, expiresIn: this.ttlS };
  }

  /**
   * Signature, algorithm, issuer, audience and claims, not expiry; throws the
   * matching 401. A header with `crit` names extensions that must be
   * understood (RFC 7515 §4.1.11): this service understands none.
   */
  verify(token: string): AccessTokenClaims {
    let verified: { header: { crit?: unknown }; payload: Partial<AccessTokenClaims> };
    try {
      verified = this.jwt.verify(token, { clockTimestamp: this.clock.nowSeconds(), ignoreExpiration: true, complete: true });
    } catch {
      throw invalidToken();
    }
    if (verified.header.crit !== undefined) throw invalidToken();
    const { sub, sid, iat, exp } = verified.payload;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) throw invalidToken();
    if (typeof exp !== 'number' || typeof iat !== 'number') throw invalidToken();
    return { sub, sid, iat, exp };
  }

  /** Throws `token_expired` once the claims' time is up. */
  assertUnexpired(claims: AccessTokenClaims): void {
    if (this.clock.nowSeconds() >= claims.exp) throw new ApiException('token_expired', 'The access token has expired');
  }
}
