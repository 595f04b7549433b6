import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * A message waiting to be delivered: written in the transaction of the change
 * that causes it, deleted once delivered. It holds the message's link until
 * then, which is why a link expires within hours.
 */
@Entity('mail_outbox')
@Index('idx_mail_outbox_next_attempt_at', ['nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mail_outbox' })
  id: string;

  /** The account it is for: deleting the account deletes what it would still have been sent. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mail_outbox_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text' })
  html: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Not before then: a failed delivery is retried later and later. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** An instance that claimed it is delivering it until then; after that, another may. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Why the last delivery failed, without the message. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  lastError: string | null;
}
