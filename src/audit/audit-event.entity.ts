import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** One security-relevant change to an account, or attempt at one. It never holds a secret. */
@Entity('audit_events')
// A page of a user's events, newest first, is one range scan of this index.
@Index('idx_audit_events_user_id_created_at_seq', ['userId', 'createdAt', 'seq'])
// Retention deletes the oldest events in batches.
@Index('idx_audit_events_created_at', ['createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  /**
   * The order events were written in, across every instance: among events of
   * the same millisecond (one transaction's, say), pages follow it. A bigint,
   * as a string.
   */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  /** Whose account the event belongs to; deleting the account deletes its events. */
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_audit_events_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  /** When it happened, to the millisecond, by the service's clock: pages and retention go by it. */
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 16 })
  actorMethod: 'session' | 'api_key' | 'anonymous';

  @Column({ type: 'uuid', nullable: true })
  actorSessionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  @Column({ type: 'uuid', nullable: true })
  subjectSessionId: string | null;

  @Column({ type: 'uuid', nullable: true })
  subjectApiKeyId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}
