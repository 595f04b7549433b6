import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Session } from './session.entity';

/** A link in a session's rotation chain. Only the SHA-256 of the token is kept. */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_session_id', ['sessionId'])
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  session?: Session;

  @Index('uq_refresh_tokens_token_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** When it was rotated; a spent token is honoured for a short grace period, then treated as stolen. */
  @Column({ type: 'timestamptz', nullable: true })
  spentAt: Date | null;
}
