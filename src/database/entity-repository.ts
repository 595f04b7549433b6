import { EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { Transaction } from './transactions';

/**
 * What a feature's repository builds on: its entity's TypeORM repository
 * (from `DatabaseModule.forFeature`), in the caller's transaction when the
 * caller passes one. Every query of a feature lives in its repository.
 */
export abstract class EntityRepository<Entity extends ObjectLiteral> {
  protected constructor(private readonly repository: Repository<Entity>) {}

  /** The entity's table, joined to `tx` when given. */
  protected table(tx?: Transaction): Repository<Entity> {
    return tx ? tx.manager.withRepository(this.repository) : this.repository;
  }

  /** For statements that span tables: the connection of `tx`, or the pool's. */
  protected manager(tx?: Transaction): EntityManager {
    return tx?.manager ?? this.repository.manager;
  }
}
