import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { ApiKey, RevokedReason } from './api-key.entity';

/** What verifying a key needs to know of it. */
export interface KeyVerification {
  id: string;
  userId: string;
  revoked: boolean;
  scopes: string[];
  expiresAt: Date | null;
}

/** A key that a leak report revoked. */
export interface RevokedKey {
  id: string;
  userId: string;
  keyHash: string;
}

/** Active at :at — the one definition, in SQL. */
const ACTIVE = 'k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :at)';

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

  /** Keys neither revoked nor expired at `at`: those that count against the limit. */
  countActive(tx: Transaction, userId: string, at: Date): Promise<number> {
    return this.table(tx).createQueryBuilder('k').where('k.user_id = :userId', { userId }).andWhere(ACTIVE, { at }).getCount();
  }

  insert(tx: Transaction, key: Pick<ApiKey, 'userId' | 'name' | 'keyPrefix' | 'keyHash' | 'scopes' | 'expiresAt'>): Promise<ApiKey> {
    const table = this.table(tx);
    return table.save(table.create(key));
  }

  /** Keys active at `at` first, then newest first. */
  listOf(userId: string, at: Date): Promise<ApiKey[]> {
    return this.table()
      .createQueryBuilder('k')
      .where('k.user_id = :userId', { userId })
      .orderBy(`(${ACTIVE})`, 'DESC')
      .setParameters({ at })
      .addOrderBy('k.created_at', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .getMany();
  }

  /** The user's key; another user's is null, as a missing one. */
  findOf(userId: string, id: string, tx?: Transaction): Promise<ApiKey | null> {
    return this.table(tx).findOneBy({ id, userId });
  }

  /** As `findOf`, and locks the row until `tx` ends, so that a roll and a revoke of one key go one after another. */
  findOfForUpdate(tx: Transaction, userId: string, id: string): Promise<ApiKey | null> {
    return this.table(tx).findOne({ where: { id, userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Brings the key's expiry forward to `at`, never later than it already was. */
  async expireBy(tx: Transaction, id: string, at: Date): Promise<void> {
    await this.table(tx)
      .createQueryBuilder()
      .update()
      .set({ expiresAt: () => 'LEAST(COALESCE(expires_at, :at), :at)' })
      .where('id = :id', { id })
      .setParameters({ at })
      .execute();
  }

  async rename(tx: Transaction, userId: string, id: string, name: string): Promise<ApiKey | null> {
    const apiKey = await this.findOf(userId, id, tx);
    if (!apiKey) return null;
    apiKey.name = name;
    return this.table(tx).save(apiKey);
  }

  /** Revokes the key unless it is revoked already; true when this call revoked it. */
  async revoke(tx: Transaction, id: string, at: Date, reason: RevokedReason): Promise<boolean> {
    const result = await this.table(tx).update({ id, revokedAt: IsNull() }, { revokedAt: at, revokedReason: reason });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes, as reported leaked, each key of `keyHashes` that is active at `at`; the keys it revoked. */
  async revokeLeaked(tx: Transaction, keyHashes: string[], at: Date): Promise<RevokedKey[]> {
    const result = await this.table(tx)
      .createQueryBuilder('k')
      .update()
      .set({ revokedAt: at, revokedReason: 'reported_leaked' })
      .where('key_hash IN (:...keyHashes)', { keyHashes })
      .andWhere(ACTIVE.replace(/k\./g, ''), { at })
      .returning('id, user_id, key_hash')
      .execute();
    return (result.raw as { id: string; user_id: string; key_hash: string }[]).map((row) => ({ id: row.id, userId: row.user_id, keyHash: row.key_hash }));
  }

  /** The digests of all the user's keys, for forgetting them everywhere. */
  async hashesOf(tx: Transaction, userId: string): Promise<string[]> {
    const keys = await this.table(tx).find({ where: { userId }, select: { keyHash: true } });
    return keys.map((key) => key.keyHash);
  }

  async findVerification(keyHash: string): Promise<KeyVerification | null> {
    const apiKey = await this.table().findOne({
      where: { keyHash },
      select: { id: true, userId: true, revokedAt: true, scopes: true, expiresAt: true },
    });
    return apiKey && { id: apiKey.id, userId: apiKey.userId, revoked: apiKey.revokedAt !== null, scopes: apiKey.scopes, expiresAt: apiKey.expiresAt };
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
