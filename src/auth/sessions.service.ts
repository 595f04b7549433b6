import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { hash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull, Repository, WhereExpressionBuilder } from 'typeorm';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { MaybePromise, thenMaybe } from '../common/maybe-promise';
import { SessionPrincipal } from '../common/principal';
import { AppConfig } from '../config/app-config';
import { CoherentCache } from '../database/coherent-cache';
import { isUniqueViolation } from '../database/database-errors';
import { InvalidationBus } from '../database/invalidation-bus';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccessTokenClaims, AccessTokensService } from './access-tokens.service';
import { PasswordsService } from './passwords.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  expiresAt: number;
  refreshToken: string;
  user: User;
}

interface RefreshTokenRow {
  id: string;
  session_id: string;
  spent_at: Date | null;
  user_id: string;
  revoked_at: Date | null;
}

export type LogoutScope = 'local' | 'global' | 'others';

/** What checking an access token's session needs, cached by session id. */
interface SessionState {
  userId: string;
  revoked: boolean;
}

/** A session access token whose signature and claims are good: what the token alone tells. */
export interface SessionCredential {
  method: 'session';
  claims: AccessTokenClaims;
}

const newRefreshToken = () => randomBytes(32).toString('base64url');
const hashRefreshToken = (token: string) => hash('sha256', token, 'hex');

const invalidCredentials = () => new ApiException('invalid_credentials', 'Invalid email or password');
const invalidRefreshToken = () => new ApiException('invalid_refresh_token', 'Invalid refresh token; sign in again');

/** Sign-up, sign-in, refresh-token rotation with reuse detection, and session revocation. */
@Injectable()
export class SessionsService {
  private readonly reuseGraceMs: number;
  /** Revocations reach it on every instance through the invalidation bus. */
  private readonly sessionStates: CoherentCache<SessionState>;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: InvalidationBus,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly accessTokens: AccessTokensService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.reuseGraceMs = config.get('auth', { infer: true }).refreshReuseGraceS * 1000;
    this.sessionStates = new CoherentCache<SessionState>(bus, {
      ...config.get('sessions', { infer: true }).cache,
      keysToForget: (event) => (event.kind === 'sessions_revoked' ? event.sessionIds : []),
    });
  }

  async signUp(input: { email: string; password: string; name?: string }, client: ClientInfo): Promise<IssuedSession> {
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.users.create({ email: input.email, passwordHash, name: input.name }, manager);
        return this.startSession(manager, user, client);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ApiException('email_taken');
      }
      throw error;
    }
  }

  /** One answer and one argon2 verification for every failure, so neither the body nor the time tells them apart. */
  async signIn(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedSession> {
    const user = await this.users.findByEmail(input.email);
    const valid = await this.passwords.verify(user?.passwordHash, input.password);
    if (!user || !valid) throw invalidCredentials();
    return this.startSession(this.dataSource.manager, user, client);
  }

  /**
   * Spends the refresh token and issues a new one. A spent token is honoured
   * again for a short grace period (concurrent tabs); after that its use means
   * it was stolen, and the whole session is revoked.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedSession> {
    const now = this.clock.now();
    const outcome = await this.bus.transactionWithEvents(async (manager, emit) => {
      const [row] = await manager.query<RefreshTokenRow[]>(
        `SELECT t.id, t.session_id, t.spent_at, s.user_id, s.revoked_at
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
          FOR UPDATE OF t, s`,
        [hashRefreshToken(refreshToken)],
      );
      if (!row || row.revoked_at) return { kind: 'invalid' as const };
      const spentAt = row.spent_at ? new Date(row.spent_at) : null;
      if (spentAt && now.getTime() - spentAt.getTime() > this.reuseGraceMs) {
        await manager.update(Session, { id: row.session_id }, { revokedAt: now });
        emit({ kind: 'sessions_revoked', sessionIds: [row.session_id] });
        return { kind: 'reused' as const };
      }
      if (!spentAt) await manager.update(RefreshToken, { id: row.id }, { spentAt: now });
      await manager.update(
        Session,
        { id: row.session_id },
        { refreshedAt: now, ip: client.ip, userAgent: client.userAgent },
      );
      const newRefreshToken = await this.issueRefreshToken(manager, row.session_id);
      return { kind: 'rotated' as const, sessionId: row.session_id, userId: row.user_id, refreshToken: newRefreshToken };
    });
    if (outcome.kind !== 'rotated') throw invalidRefreshToken();
    const user = await this.users.getById(outcome.userId);
    return this.issue(user, outcome.sessionId, outcome.refreshToken);
  }

  async logout(principal: SessionPrincipal, scope: LogoutScope): Promise<void> {
    const { userId, sessionId } = principal;
    await this.revokeWhere(userId, (where) => {
      if (scope === 'local') where.andWhere('id = :sessionId', { sessionId });
      if (scope === 'others') where.andWhere('id <> :sessionId', { sessionId });
    });
  }

  listActive(userId: string): Promise<Session[]> {
    return this.sessions.find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Idempotent; another user's session is a 404. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.findOneBy({ id: sessionId, userId });
    if (!session) throw new ApiException('not_found', 'Session not found');
    if (!session.revokedAt) await this.revokeWhere(userId, (where) => where.andWhere('id = :sessionId', { sessionId }));
  }

  /** What an access token alone tells: its signature and claims. Throws the matching 401. */
  read(accessToken: string): SessionCredential {
    return { method: 'session', claims: this.accessTokens.verify(accessToken) };
  }

  /**
   * Admits a token that has not expired and whose session is still live: at
   * steady state synchronously from memory, since every revocation reaches the cache.
   */
  admit(credential: SessionCredential): MaybePromise<SessionPrincipal> {
    const { claims } = credential;
    this.accessTokens.assertUnexpired(claims);
    return thenMaybe(this.sessionStates.get(claims.sid, this.findSessionState), (session) => {
      if (!session || session.revoked || session.userId !== claims.sub) {
        throw new ApiException('invalid_token', 'This session has ended; sign in again');
      }
      return { method: 'session', userId: claims.sub, sessionId: claims.sid };
    });
  }

  private readonly findSessionState = async (sessionId: string): Promise<SessionState | null> => {
    const session = await this.sessions.findOne({
      where: { id: sessionId },
      select: { id: true, userId: true, revokedAt: true },
    });
    return session && { userId: session.userId, revoked: session.revokedAt !== null };
  };

  /** Ends the user's live sessions that `narrow` selects, and tells every instance. */
  private async revokeWhere(userId: string, narrow: (where: WhereExpressionBuilder) => void): Promise<void> {
    await this.bus.transactionWithEvents(async (manager, emit) => {
      const query = manager
        .createQueryBuilder()
        .update(Session)
        .set({ revokedAt: this.clock.now() })
        .where('user_id = :userId AND revoked_at IS NULL', { userId });
      narrow(query);
      const result = await query.returning('id').execute();
      const sessionIds = (result.raw as { id: string }[]).map((row) => row.id);
      if (sessionIds.length > 0) emit({ kind: 'sessions_revoked', sessionIds });
    });
  }

  /** The session and its first refresh token, in one statement (a login's only write). */
  private async startSession(manager: EntityManager, user: User, client: ClientInfo): Promise<IssuedSession> {
    const refreshToken = newRefreshToken();
    const [{ session_id: sessionId }] = await manager.query<{ session_id: string }[]>(
      `WITH session AS (
         INSERT INTO sessions (user_id, refreshed_at, ip, user_agent) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $5 FROM session RETURNING session_id`,
      [user.id, this.clock.now(), client.ip, client.userAgent, hashRefreshToken(refreshToken)],
    );
    return this.issue(user, sessionId, refreshToken);
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = newRefreshToken();
    await manager.insert(RefreshToken, { sessionId, tokenHash: hashRefreshToken(token) });
    return token;
  }

  private issue(user: User, sessionId: string, refreshToken: string): IssuedSession {
    const { token, expiresAt, expiresIn } = this.accessTokens.sign(user.id, sessionId);
    return { accessToken: token, expiresIn, expiresAt, refreshToken, user };
  }
}
