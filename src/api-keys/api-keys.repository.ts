import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { ApiKey } from './api-key.entity';

/** What verifying a key needs to know of it. */
export interface KeyVerification {
  id: string;
  userId: string;
  revoked: boolean;
}

/** Every query on `api_keys`. */
@Injectable()
export class ApiKeysRepository extends EntityRepository<ApiKey> {
  constructor(@InjectRepository(ApiKey) apiKeys: Repository<ApiKey>) {
    super(apiKeys);
  }

  /** Holds a per-user lock until `tx` ends, so that concurrent creates count one after another. */
  async lockKeysOf(tx: Transaction, userId: string): Promise<void> {
    await this.manager(tx).query(`SELECT pg_advisory_xact_lock(hashtextextended('api_keys:' || $1, 0))`, [userId]);
  }

  countActive(tx: Transaction, userId: string): Promise<number> {
    return this.table(tx).countBy({ userId, revokedAt: IsNull() });
  }

  insert(tx: Transaction, key: Pick<ApiKey, 'userId' | 'name' | 'keyPrefix' | 'keyHash'>): Promise<ApiKey> {
    const table = this.table(tx);
    return table.save(table.create(key));
  }

  /** Active keys first, then newest first. */
  listOf(userId: string): Promise<ApiKey[]> {
    return this.table()
      .createQueryBuilder('k')
      .where('k.user_id = :userId', { userId })
      .orderBy('k.revoked_at IS NULL', 'DESC')
      .addOrderBy('k.created_at', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .getMany();
  }

  /** The user's key; another user's is null, as a missing one. */
  findOf(userId: string, id: string, tx?: Transaction): Promise<ApiKey | null> {
    return this.table(tx).findOneBy({ id, userId });
  }

  async rename(tx: Transaction, userId: string, id: string, name: string): Promise<ApiKey | null> {
    const apiKey = await this.findOf(userId, id, tx);
    if (!apiKey) return null;
    apiKey.name = name;
    return this.table(tx).save(apiKey);
  }

  /** Revokes the key if it is active; true when this call revoked it. */
  async revoke(tx: Transaction, id: string, at: Date): Promise<boolean> {
    const result = await this.table(tx).update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** The digests of all the user's keys, for forgetting them everywhere. */
  async hashesOf(tx: Transaction, userId: string): Promise<string[]> {
    const keys = await this.table(tx).find({ where: { userId }, select: { keyHash: true } });
    return keys.map((key) => key.keyHash);
  }

  async findVerification(keyHash: string): Promise<KeyVerification | null> {
    const apiKey = await this.table().findOne({ where: { keyHash }, select: { id: true, userId: true, revokedAt: true } });
    return apiKey && { id: apiKey.id, userId: apiKey.userId, revoked: apiKey.revokedAt !== null };
  }

  /**
   * Moves each key's `last_used_at` forward to the given time, in one
   * statement outside any transaction, so that its row locks last only as
   * long as the UPDATE and cannot hold up a revocation.
   */
  async recordLastUsed(ids: string[], times: Date[]): Promise<void> {
    await this.manager().query(
      `UPDATE api_keys AS k
          SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.used_at), u.used_at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, used_at)
        WHERE k.id = u.id`,
      [ids, times.map((time) => time.toISOString())],
    );
  }
}
