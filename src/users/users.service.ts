import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiException } from '../common/errors/api-exception';
import { AppConfig } from '../config/app-config';
import { CoherentCache } from '../credentials/coherent-cache';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { Transaction, Transactions } from '../database/transactions';
import { normalizeEmail } from './email';
import { User } from './user.entity';
import { profileOf, UserProfile } from './user-profile';
import { UsersRepository } from './users.repository';

/** The invalidation events of the profile cache: a user's profile changed. */
const USER_CHANGED = 'user_changed';

export interface NewAccount {
  email: string;
  passwordHash: string;
  name?: string | null;
}

/** Users and nothing else: this module knows nothing about credentials' meaning. */
@Injectable()
export class UsersService {
  /** By user id; a change evicts it on every instance, through the bus. */
  private readonly profiles: CoherentCache<UserProfile>;

  constructor(
    private readonly users: UsersRepository,
    private readonly transactions: Transactions,
    private readonly bus: InvalidationBus,
    config: ConfigService<AppConfig, true>,
  ) {
    this.profiles = new CoherentCache(bus, { kind: USER_CHANGED, ...config.get('users', { infer: true }).cache });
  }

  /** Joins the caller's transaction; throws 409 `email_taken` when the email is registered. */
  create(tx: Transaction, account: NewAccount): Promise<User> {
    return this.users.insert(tx, { email: normalizeEmail(account.email), passwordHash: account.passwordHash, name: account.name ?? null });
  }

  /** The user with this email, password hash included: for signing in. */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  /** From memory at steady state. */
  async getProfile(id: string): Promise<UserProfile> {
    const profile = await this.profiles.get(id, this.loadProfile);
    if (!profile) throw new ApiException('not_found', 'User not found');
    return profile;
  }

  async rename(id: string, name: string): Promise<UserProfile> {
    const user = await this.transactions.run(async (tx) => {
      const renamed = await this.users.rename(tx, id, name);
      if (renamed) await this.bus.publish(tx, USER_CHANGED, [id]);
      return renamed;
    });
    if (!user) throw new ApiException('not_found', 'User not found');
    return profileOf(user);
  }

  /** The user with this id, password hash included, in `tx` when given: for checking a password. */
  findById(id: string, tx?: Transaction): Promise<User | null> {
    return this.users.findById(id, tx);
  }

  async setPasswordHash(tx: Transaction, id: string, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(tx, id, passwordHash);
  }

  async markEmailVerified(tx: Transaction, id: string, at: Date): Promise<void> {
    await this.users.markEmailVerified(tx, id, at);
    await this.bus.publish(tx, USER_CHANGED, [id]);
  }

  /** Deletes the user and every row of theirs; every instance forgets the profile once `tx` commits. */
  async delete(tx: Transaction, id: string): Promise<void> {
    await this.users.delete(tx, id);
    await this.bus.publish(tx, USER_CHANGED, [id]);
  }

  private readonly loadProfile = async (id: string): Promise<UserProfile | null> => {
    const user = await this.users.findById(id);
    return user && profileOf(user);
  };
}
