import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { hash, randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { ClientInfo } from '../common/http/client-info';
import { anonymous, AuditActor } from '../audit/audit-actor';
import { AuditLog } from '../audit/audit-log';
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
import './auth.events';
import { AccountLinks } from './account/account-links';
import { CommonPasswords } from './passwords/common-passwords';
import { PasswordsService } from './passwords/passwords.service';
import { SESSIONS_ENDED } from './session.verifier';
import { Session } from './session.entity';
import { SessionSelection, SessionsRepository } from './sessions.repository';
import { SignInFailures } from './sign-in-failures';

export interface IssuedSession {
  sessionId: string;
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
    private readonly audit: AuditLog,
    private readonly commonPasswords: CommonPasswords,
    private readonly links: AccountLinks,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.reuseGraceMs = config.get('auth', { infer: true }).refreshReuseGraceS * 1000;
  }

  /**
   * Throws 400 `weak_password` for a common password and 409 `email_taken`
   * when the email is registered. Mails a link to verify the email.
   */
  async signUp(input: { email: string; password: string; name?: string }, client: ClientInfo): Promise<IssuedSession> {
    this.commonPasswords.assertNotCommon(input.password);
    const passwordHash = await this.passwords.hash(input.password);
    return this.transactions.run(async (tx) => {
      const user = await this.users.create(tx, { email: input.email, passwordHash, name: input.name });
      const session = await this.startSession(tx, user, client);
      await this.audit.record(tx, { type: 'user.signed_up', userId: user.id, actor: anonymous(client), subject: { sessionId: session.sessionId } });
      await this.links.send(tx, user, 'email_verification');
      return session;
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
      if (user) await this.audit.recordSoon({ type: 'user.login_failed', userId: user.id, actor: anonymous(client) });
      throw invalidCredentials();
    }
    return this.transactions.run(async (tx) => {
      const session = await this.startSession(tx, user, client);
      await this.audit.record(tx, {
        type: 'user.login_succeeded',
        userId: user.id,
        actor: anonymous(client),
        subject: { sessionId: session.sessionId },
      });
      return session;
    });
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
        await this.audit.record(tx, {
          type: 'session.refresh_reuse_detected',
          userId: presented.userId,
          actor: anonymous(client),
          subject: { sessionId },
        });
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

  async logout(principal: SessionPrincipal, scope: LogoutScope, actor: AuditActor): Promise<void> {
    const { userId, sessionId } = principal;
    const selection: SessionSelection = scope === 'global' ? 'all' : scope === 'others' ? { allBut: sessionId } : { only: sessionId };
    await this.transactions.run((tx) => this.endRecorded(tx, userId, selection, actor));
  }

  listActive(userId: string): Promise<Session[]> {
    return this.sessions.listActive(userId);
  }

  /** Idempotent; another user's session is a 404. */
  async revoke(userId: string, sessionId: string, actor: AuditActor): Promise<void> {
    const session = await this.sessions.findOf(userId, sessionId);
    if (!session) throw new ApiException('not_found', 'Session not found');
    if (!session.revokedAt) await this.transactions.run((tx) => this.endRecorded(tx, userId, { only: sessionId }, actor));
  }

  /** Ends the selected live sessions of the user, on every instance once `tx` commits; the ids of those it ended. */
  private async end(tx: Transaction, userId: string, selection: SessionSelection): Promise<string[]> {
    const ended = await this.sessions.revoke(tx, userId, selection, this.clock.now());
    await this.bus.publish(tx, SESSIONS_ENDED, ended);
    return ended;
  }

  /**
   * Ends every live session of the user but `except`, on every instance once
   * `tx` commits: their access and refresh tokens stop working.
   */
  async endAll(tx: Transaction, userId: string, except?: string): Promise<string[]> {
    return this.end(tx, userId, except ? { allBut: except } : 'all');
  }

  /** `end`, with a `session.ended` event for each session it ended. */
  private async endRecorded(tx: Transaction, userId: string, selection: SessionSelection, actor: AuditActor): Promise<void> {
    const ended = await this.end(tx, userId, selection);
    await this.audit.record(tx, ...ended.map((sessionId) => ({ type: 'session.ended' as const, userId, actor, subject: { sessionId } })));
  }

  private async startSession(tx: Transaction, user: User, client: ClientInfo): Promise<IssuedSession> {
    const refreshToken = newRefreshToken();
    const sessionId = await this.sessions.start(user.id, client, hashRefreshToken(refreshToken), this.clock.now(), tx);
    return this.issue(profileOf(user), sessionId, refreshToken);
  }

  private issue(user: UserProfile, sessionId: string, refreshToken: string): IssuedSession {
    const { token, expiresAt, expiresIn } = this.accessTokens.sign(user.id, sessionId);
    return { sessionId, accessToken: token, expiresIn, expiresAt, refreshToken, user };
  }
}
