import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { AppConfig } from '../config/app-config';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Session access tokens: HS256 JWTs, pinned to that algorithm, issuer and audience. */
@Injectable()
export class AccessTokensService {
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

  /** Signature, algorithm, issuer, audience and expiry; throws the matching 401. */
  verify(token: string): AccessTokenClaims {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, { clockTimestamp: this.clock.nowSeconds() });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new ApiException('token_expired', 'The access token has expired');
      throw new ApiException('invalid_token', 'Invalid or expired token');
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) {
      throw new ApiException('invalid_token', 'Invalid or expired token');
    }
    return claims as AccessTokenClaims;
  }
}
