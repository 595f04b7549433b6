import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { hash, randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { ClientInfo } from '../common/http/client-info';
import { AppConfig } from '../config/app-config';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { SessionPrincipal } from '../credentials/principal';
import { Transaction, Transactions } from '../database/transactions';
import { normalizeEmail } from '../users/email';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { profileOf, UserProfile } from '../users/user-profile';
import { AccessTokens } from './access-tokens';
import './auth.errors';
import { PasswordsService } from './passwords/passwords.service';
import { SESSIONS_ENDED } from './session.verifier';
import { Session } from './session.entity';
import { SessionSelection, SessionsRepository } from './sessions.repository';
import { SignInFailures } from './sign-in-failures';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  expiresAt: number;
  refreshToken: string;
  user: UserProfile;
}

export type LogoutScope = 'local' | 'global' | 'others';

const newRefreshToken = () => randomBytes(32).toString('base64url');
const hashRefreshToken = (token: string) => hash('sha256', token, 'hex');

const invalidCredentials = () => new ApiException('invalid_credentials', 'Invalid email or password');
const invalidRefreshToken = () => new ApiException('invalid_refresh_token', 'Invalid refresh token; sign in again');

/** Sign-up, sign-in, refresh-token rotation with reuse detection, and ending sessions. */
@Injectable()
export class SessionsService {
  private readonly reuseGraceMs: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly transactions: Transactions,
    private readonly bus: InvalidationBus,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly accessTokens: AccessTokens,
    private readonly signInFailures: SignInFailures,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.reuseGraceMs = config.get('auth', { infer: true }).refreshReuseGraceS * 1000;
  }

  /** Throws 409 `email_taken` when the email is registered. */
  async signUp(input: { email: string; password: string; name?: string }, client: ClientInfo): Promise<IssuedSession> {
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async (tx) => {
      const user = await this.users.create(tx, { email: input.email, passwordHash, name: input.name });
      return this.startSession(user, client, tx);
    });
  }

  /**
   * One answer and one argon2 verification for every failure, so neither the
   * body nor the time tells them apart. Failures count towards the email's
   * ceiling (SignInFailures).
   */
  async signIn(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedSession> {
    const email = normalizeEmail(input.email);
    await this.signInFailures.assertBelowCeiling(email);
    const user = await this.users.findByEmail(email);
    const valid = await this.passwords.verify(user?.passwordHash, input.password);
    if (!user || !valid) {
      await this.signInFailures.record(email);
      throw invalidCredentials();
    }
    return this.startSession(user, client);
  }

  /**
   * Spends the refresh token and issues a new one. A spent token is honoured
   * again for a short grace period (concurrent tabs); after that its use means
   * it was stolen, and the whole session is revoked.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedSession> {
    const now = this.clock.now();
    const outcome = await this.transactions.run(async (tx) => {
      const presented = await this.sessions.lockRefreshToken(tx, hashRefreshToken(refreshToken));
      if (!presented || presented.sessionRevoked) return { kind: 'invalid' as const };
      const { spentAt, sessionId } = presented;
      if (spentAt && now.getTime() - spentAt.getTime() > this.reuseGraceMs) {
        await this.end(tx, presented.userId, { only: sessionId });
        return { kind: 'reused' as const };
      }
      if (!spentAt) await this.sessions.markSpent(tx, presented.id, now);
      await this.sessions.touch(tx, sessionId, now, client);
      const rotated = newRefreshToken();
      await this.sessions.addRefreshToken(tx, sessionId, hashRefreshToken(rotated));
      return { kind: 'rotated' as const, sessionId, userId: presented.userId, refreshToken: rotated };
    });
    if (outcome.kind !== 'rotated') throw invalidRefreshToken();
    return this.issue(await this.users.getProfile(outcome.userId), outcome.sessionId, outcome.refreshToken);
  }

  async logout(principal: SessionPrincipal, scope: LogoutScope): Promise<void> {
    const { userId, sessionId } = principal;
    const selection: SessionSelection = scope === 'global' ? 'all' : scope === 'others' ? { allBut: sessionId } : { only: sessionId };
    await this.transactions.run((tx) => this.end(tx, userId, selection));
  }

  listActive(userId: string): Promise<Session[]> {
    return this.sessions.listActive(userId);
  }

  /** Idempotent; another user's session is a 404. */
  async revoke(userId: string, sessionId: string): Promise<void> {
    const session = await this.sessions.findOf(userId, sessionId);
    if (!session) throw new ApiException('not_found', 'Session not found');
    if (!session.revokedAt) await this.transactions.run((tx) => this.end(tx, userId, { only: sessionId }));
  }

  /** Ends the selected live sessions of the user, on every instance once `tx` commits. */
  private async end(tx: Transaction, userId: string, selection: SessionSelection): Promise<void> {
    const ended = await this.sessions.revoke(tx, userId, selection, this.clock.now());
    await this.bus.publish(tx, SESSIONS_ENDED, ended);
  }

  private async startSession(user: User, client: ClientInfo, tx?: Transaction): Promise<IssuedSession> {
    const refreshToken = newRefreshToken();
    const sessionId = await this.sessions.start(user.id, client, hashRefreshToken(refreshToken), this.clock.now(), tx);
    return this.issue(profileOf(user), sessionId, refreshToken);
  }

  private issue(user: UserProfile, sessionId: string, refreshToken: string): IssuedSession {
    const { token, expiresAt, expiresIn } = this.accessTokens.sign(user.id, sessionId);
    return { accessToken: token, expiresIn, expiresAt, refreshToken, user };
  }
}
