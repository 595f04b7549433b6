import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** Why a key was revoked: by its owner, or because someone reported it leaked. */
export type RevokedReason = 'revoked' | 'reported_leaked';

@Entity('api_keys')
@Index('idx_api_keys_user_id', ['userId'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** The first 12 characters of the key, for display. */
  @Column({ type: 'char', length: 12 })
  keyPrefix: string;

  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  @Index('uq_api_keys_key_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  keyHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  revokedReason: RevokedReason | null;

  /** `{*}` for full access; otherwise scope names, sorted. */
  @Column({ type: 'text', array: true, default: () => "'{*}'" })
  scopes: string[];

  /** Null: never. Past it, the key is refused with `api_key_expired` and no longer counts against the limit. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}

/** Active: neither revoked nor expired at `at`. */
export function isActiveKey(apiKey: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, at: Date): boolean {
  return apiKey.revokedAt === null && (apiKey.expiresAt === null || apiKey.expiresAt > at);
}
