/**
 * The account lifecycle: changing and resetting the password, verifying the
 * email, deleting the account. Each change and its audit event, mail and
 * cache evictions are one transaction.
 */
import { Injectable, Logger } from '@nestjs/common';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { anonymous, AuditActor } from '../../audit/audit-actor';
import { AuditLog } from '../../audit/audit-log';
import { Clock } from '../../common/clock';
import { ApiException } from '../../common/errors/api-exception';
import { ClientInfo } from '../../common/http/client-info';
import { SessionPrincipal } from '../../credentials/principal';
import { Transactions } from '../../database/transactions';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import '../auth.errors';
import '../auth.events';
import { CommonPasswords } from '../passwords/common-passwords';
import { PasswordsService } from '../passwords/passwords.service';
import { SessionsService } from '../sessions.service';
import { AccountLinks } from './account-links';

const wrongPassword = () => new ApiException('wrong_password');

@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly passwords: PasswordsService,
    private readonly commonPasswords: CommonPasswords,
    private readonly links: AccountLinks,
    private readonly audit: AuditLog,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** Needs the current password (403 `wrong_password`); ends every other session at once, on every instance. */
  async changePassword(principal: SessionPrincipal, currentPassword: string, newPassword: string, actor: AuditActor): Promise<void> {
    await this.checkPassword(principal.userId, currentPassword);
    this.commonPasswords.assertNotCommon(newPassword);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.transactions.run(async (tx) => {
      await this.users.setPasswordHash(tx, principal.userId, passwordHash);
      await this.sessions.endAll(tx, principal.userId, principal.sessionId);
      await this.audit.record(tx, { type: 'password.changed', userId: principal.userId, actor, subject: { sessionId: principal.sessionId } });
    });
  }

  /**
   * Answers at once, the same for every email, registered or not: the work
   * (a link, mailed) is done off the request, so neither the answer nor its
   * time tells whether the email has an account.
   */
  requestPasswordReset(email: string, client: ClientInfo): void {
    setImmediate(() => {
      this.sendPasswordReset(email, client).catch((error: Error) =>
        this.logger.warn({ err: { message: error.message } }, 'Could not send a password-reset link'),
      );
    });
  }

  /** Sets the password, ends every session, and marks the email verified (the link proved it). */
  async resetPassword(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    // A bad link is told first, and a weak password spends no link.
    await this.links.userOf(token, 'password_reset');
    this.commonPasswords.assertNotCommon(newPassword);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.transactions.run(async (tx) => {
      const userId = await this.links.spend(tx, token, 'password_reset');
      await this.users.setPasswordHash(tx, userId, passwordHash);
      await this.sessions.endAll(tx, userId);
      await this.users.markEmailVerified(tx, userId, this.clock.now());
      await this.audit.record(tx, { type: 'password.reset_completed', userId, actor: anonymous(client) });
    });
  }

  /** Mails a new verification link, replacing older ones; nothing when the email is verified already. */
  async sendEmailVerification(userId: string): Promise<void> {
    const user = await this.users.getProfile(userId);
    if (user.emailVerifiedAt) return;
    await this.transactions.run((tx) => this.links.send(tx, user, 'email_verification'));
  }

  async verifyEmail(token: string, client: ClientInfo): Promise<void> {
    await this.transactions.run(async (tx) => {
      const userId = await this.links.spend(tx, token, 'email_verification');
      await this.users.markEmailVerified(tx, userId, this.clock.now());
      await this.audit.record(tx, { type: 'email.verified', userId, actor: anonymous(client) });
    });
  }

  /**
   * Needs the password (403 `wrong_password`). Every key and session of the
   * account stops working at once, on every instance, and its rows are
   * deleted; the email can sign up again.
   */
  async deleteAccount(principal: SessionPrincipal, password: string): Promise<void> {
    await this.checkPassword(principal.userId, password);
    await this.transactions.run(async (tx) => {
      await this.apiKeys.forgetAllOf(tx, principal.userId);
      await this.sessions.endAll(tx, principal.userId);
      await this.users.delete(tx, principal.userId);
    });
  }

  private async checkPassword(userId: string, password: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!(await this.passwords.verify(user?.passwordHash, password)) || !user) throw wrongPassword();
    return user;
  }

  private async sendPasswordReset(email: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) return;
    await this.transactions.run(async (tx) => {
      await this.links.send(tx, user, 'password_reset');
      await this.audit.record(tx, { type: 'password.reset_requested', userId: user.id, actor: anonymous(client) });
    });
  }
}
