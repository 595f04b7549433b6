import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ApiException } from '../common/errors/api-exception';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
}

/** Users and nothing else: this module knows nothing about credentials' meaning. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Rejects with a unique violation when the email is taken. */
  create(user: NewUser, manager?: EntityManager): Promise<User> {
    const repository = manager?.getRepository(User) ?? this.users;
    return repository.save(repository.create({ ...user, email: normalizeEmail(user.email), name: user.name ?? null }));
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async getById(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new ApiException('not_found', 'User not found');
    return user;
  }

  async rename(id: string, name: string): Promise<User> {
    const user = await this.getById(id);
    user.name = name;
    return this.users.save(user);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
