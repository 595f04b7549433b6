import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiException } from '../common/errors/api-exception';
import { isUniqueViolation } from '../database/database-errors';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { User } from './user.entity';
import './user.errors';

export interface NewUser {
  /** Already normalised. */
  email: string;
  passwordHash: string;
  name: string | null;
}

/** Every query on `users`. */
@Injectable()
export class UsersRepository extends EntityRepository<User> {
  constructor(@InjectRepository(User) users: Repository<User>) {
    super(users);
  }

  /** Throws 409 `email_taken` when the email is registered. */
  async insert(tx: Transaction, user: NewUser): Promise<User> {
    const table = this.table(tx);
    try {
      return await table.save(table.create(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiException('email_taken');
      throw error;
    }
  }

  findByEmail(email: string): Promise<User | null> {
    return this.table().findOneBy({ email });
  }

  findById(id: string, tx?: Transaction): Promise<User | null> {
    return this.table(tx).findOneBy({ id });
  }

  async setPasswordHash(tx: Transaction, id: string, passwordHash: string): Promise<void> {
    await this.table(tx).update({ id }, { passwordHash });
  }

  /** Sets when the email was verified, unless it already was. */
  async markEmailVerified(tx: Transaction, id: string, at: Date): Promise<void> {
    await this.table(tx).createQueryBuilder().update().set({ emailVerifiedAt: at }).where('id = :id AND email_verified_at IS NULL', { id }).execute();
  }

  /** The user and, by cascade, every row of theirs. */
  async delete(tx: Transaction, id: string): Promise<void> {
    await this.table(tx).delete({ id });
  }

  /** The user, renamed; null when there is no such user. */
  async rename(tx: Transaction, id: string, name: string): Promise<User | null> {
    const table = this.table(tx);
    const user = await table.findOneBy({ id });
    if (!user) return null;
    user.name = name;
    return table.save(user);
  }
}
