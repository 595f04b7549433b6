import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { OutboxMessage } from './outbox-message.entity';

export type NewOutboxMessage = Pick<OutboxMessage, 'userId' | 'recipient' | 'subject' | 'text' | 'html'>;

export type ClaimedMessage = Pick<OutboxMessage, 'id' | 'recipient' | 'subject' | 'text' | 'html' | 'attempts'>;

interface ClaimedRow {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

/** Every query on `mail_outbox`. */
@Injectable()
export class MailOutboxRepository extends EntityRepository<OutboxMessage> {
  constructor(@InjectRepository(OutboxMessage) messages: Repository<OutboxMessage>) {
    super(messages);
  }

  async insert(tx: Transaction, message: NewOutboxMessage): Promise<void> {
    await this.table(tx).insert(message);
  }

  /**
   * Claims up to `limit` messages that are due and that no instance is
   * delivering, for `leaseS` seconds: one statement, and SKIP LOCKED lets
   * instances claiming at the same moment take different messages.
   */
  async claim(limit: number, leaseS: number): Promise<ClaimedMessage[]> {
    const [rows] = await this.manager().query<[ClaimedRow[], number]>(
      `UPDATE mail_outbox SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM mail_outbox
           WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, text, html, attempts`,
      [limit, leaseS],
    );
    return rows;
  }

  /** Delivered: nothing of it is kept. */
  async delivered(id: string): Promise<void> {
    await this.table().delete({ id });
  }

  async failed(id: string, retryInMs: number, reason: string): Promise<void> {
    await this.manager().query(
      `UPDATE mail_outbox SET locked_until = NULL, next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`,
      [id, retryInMs / 1000, reason.slice(0, 200)],
    );
  }

  /** Messages not yet delivered. */
  backlog(): Promise<number> {
    return this.table().count();
  }
}
