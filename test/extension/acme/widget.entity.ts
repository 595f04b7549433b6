import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../../src/users/user.entity';

/** An extension's own table: a user's widgets, each name once per user. */
@Entity('acme_widgets')
@Index('uq_acme_widgets_user_id_name', ['userId', 'name'], { unique: true })
export class Widget {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_acme_widgets' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_acme_widgets_user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
