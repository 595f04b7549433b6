import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { AuditEvent } from './audit-event.entity';

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'seq' | 'user'>;

/** Where a page starts: strictly before this event. */
export interface PagePosition {
  createdAt: Date;
  seq: string;
}

/** Every query on `audit_events`. */
@Injectable()
export class AuditEventsRepository extends EntityRepository<AuditEvent> {
  constructor(@InjectRepository(AuditEvent) events: Repository<AuditEvent>) {
    super(events);
  }

  /** Joins `tx` when given; otherwise one statement of its own. */
  async insert(events: NewAuditEvent[], tx?: Transaction): Promise<void> {
    if (events.length > 0) await this.table(tx).insert(events);
  }

  /** Newest first, strictly before `before`: one backward range scan of the (user_id, created_at, seq) index. */
  pageOf(userId: string, before: PagePosition | undefined, limit: number): Promise<AuditEvent[]> {
    const query = this.table()
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId })
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.seq', 'DESC')
      .limit(limit);
    if (before) query.andWhere('(e.created_at, e.seq) < (:createdAt, :seq)', before);
    return query.getMany();
  }

  /**
   * Runs `work` if no other instance is running it: a session-level advisory
   * lock taken with `pg_try_advisory_lock`, on a connection of its own that
   * `work` runs its statements on. Returns false, without running it, when
   * another instance holds the lock.
   */
  async exclusively(lockId: number, work: (deleteBatch: (before: Date, size: number) => Promise<number>) => Promise<void>): Promise<boolean> {
    const runner = this.manager().connection.createQueryRunner();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lockId])) as { locked: boolean }[];
      if (!locked) return false;
      try {
        await work((before, size) => deleteOldest(runner.manager, before, size));
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lockId]);
      }
      return true;
    } finally {
      await runner.release();
    }
  }

  /** One batch of the oldest events before `before`, outside any lock (the embedded database has one process). */
  deleteBatch(before: Date, size: number): Promise<number> {
    return deleteOldest(this.manager(), before, size);
  }
}

/** Deletes up to `size` events older than `before`, in one short statement; how many it deleted. */
async function deleteOldest(manager: EntityManager, before: Date, size: number): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .delete()
    .from(AuditEvent)
    .where('id IN (SELECT id FROM audit_events WHERE created_at < :before LIMIT :size)', { before, size })
    .execute();
  return result.affected ?? 0;
}
