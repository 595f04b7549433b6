import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { hash, randomBytes } from 'node:crypto';
import { Clock } from '../../common/clock';
import { ApiException } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';
import { Transaction } from '../../database/transactions';
import { Mailer } from '../../mail/mailer';
import { UserProfile } from '../../users/user-profile';
import '../auth.errors';
import { passwordResetMail, verificationMail } from './account-mail';
import { AccountTokenPurpose } from './account-token.entity';
import { AccountTokensRepository } from './account-tokens.repository';

const LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  password_reset: 30 * 60 * 1000,
  email_verification: 24 * 60 * 60 * 1000,
};

/** Where the page opens each link. */
const ROUTE: Record<AccountTokenPurpose, string> = {
  password_reset: 'reset-password',
  email_verification: 'verify-email',
};

const MAIL = { password_reset: passwordResetMail, email_verification: verificationMail };

const invalidLink = () => new ApiException('invalid_link_token');
const digest = (token: string) => hash('sha256', token, 'hex');

/**
 * One-time links sent by mail: a token of 32 random bytes, kept only as its
 * SHA-256 digest, that expires (30 minutes for a reset, 24 hours for a
 * verification), works once, and is replaced by a newer one. An unknown,
 * expired or spent token is one answer: 400 `invalid_link_token`.
 */
@Injectable()
export class AccountLinks {
  private readonly publicUrl: string;

  constructor(
    private readonly tokens: AccountTokensRepository,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicUrl = config.get('mail', { infer: true }).publicUrl;
  }

  /** A new link for `purpose`, mailed to the user in `tx`: it exists exactly if `tx` commits. */
  async send(tx: Transaction, user: Pick<UserProfile, 'id' | 'email'>, purpose: AccountTokenPurpose): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.nowMs() + LIFETIME_MS[purpose]);
    await this.tokens.replace(tx, { userId: user.id, purpose, tokenHash: digest(token), expiresAt });
    const link = `${this.publicUrl}/#${ROUTE[purpose]}?token=${token}`;
    await this.mailer.send(tx, MAIL[purpose]({ userId: user.id, to: user.email, link }));
  }

  /** The user a usable token is for, spending nothing; throws `invalid_link_token` otherwise. */
  async userOf(token: string, purpose: AccountTokenPurpose): Promise<string> {
    const userId = await this.tokens.findUsable(digest(token), purpose, this.clock.now());
    if (!userId) throw invalidLink();
    return userId;
  }

  /** Spends the token in `tx`; the user it was for. Throws `invalid_link_token` when it is not usable. */
  async spend(tx: Transaction, token: string, purpose: AccountTokenPurpose): Promise<string> {
    const userId = await this.tokens.spend(tx, digest(token), purpose, this.clock.now());
    if (!userId) throw invalidLink();
    return userId;
  }
}
