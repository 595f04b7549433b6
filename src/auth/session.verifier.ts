/**
 * Verifies session access tokens on the hot path: the JWT's signature and
 * claims in process, then its session's state from a coherent cache (only a
 * miss reads the database). At steady state `admit` answers synchronously.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiException } from '../common/errors/api-exception';
import { AppConfig } from '../config/app-config';
import { CoherentCache } from '../credentials/coherent-cache';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { MaybePromise, thenMaybe } from '../credentials/maybe-promise';
import { SessionPrincipal } from '../credentials/principal';
import { FULL_ACCESS_SCOPES } from '../credentials/scopes';
import { AccessTokenClaims, AccessTokens } from './access-tokens';
import { SessionsRepository } from './sessions.repository';

/** The invalidation events of the session-state cache, keyed by session id: sessions ended. */
export const SESSIONS_ENDED = 'sessions_ended';

/** What the cache holds for a session; the principal is the same object on every request. */
interface VerifiedSession {
  principal: SessionPrincipal;
  revoked: boolean;
}

/** A session access token whose signature and claims are good: what the token alone tells. */
export interface SessionCredential {
  method: 'session';
  claims: AccessTokenClaims;
}

@Injectable()
export class SessionVerifier {
  private readonly states: CoherentCache<VerifiedSession>;

  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly sessions: SessionsRepository,
    bus: InvalidationBus,
    config: ConfigService<AppConfig, true>,
  ) {
    this.states = new CoherentCache(bus, { kind: SESSIONS_ENDED, ...config.get('sessions', { infer: true }).cache });
  }

  /** What an access token alone tells: its signature and claims. Throws the matching 401. */
  read(accessToken: string): SessionCredential {
    return { method: 'session', claims: this.accessTokens.verify(accessToken) };
  }

  /** Admits a token that has not expired and whose session is still live. */
  admit(credential: SessionCredential): MaybePromise<SessionPrincipal> {
    const { claims } = credential;
    this.accessTokens.assertUnexpired(claims);
    return thenMaybe(this.states.get(claims.sid, this.load), (session) => {
      if (!session || session.revoked || session.principal.userId !== claims.sub) {
        throw new ApiException('invalid_token', 'This session has ended; sign in again');
      }
      return session.principal;
    });
  }

  private readonly load = async (sessionId: string): Promise<VerifiedSession | null> => {
    const state = await this.sessions.findState(sessionId);
    return state && { principal: { method: 'session', userId: state.userId, sessionId, scopes: FULL_ACCESS_SCOPES }, revoked: state.revoked };
  };
}
