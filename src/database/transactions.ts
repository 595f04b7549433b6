/**
 * The transaction boundary. A service states "these writes are one unit":
 *
 *     await this.transactions.run(async (tx) => {
 *       await this.apiKeys.insert(tx, ...);
 *       await this.audit.record(tx, ...);
 *     });
 *
 * and each repository method it hands `tx` joins that transaction. Services
 * never see an EntityManager: only repositories open `tx.manager`.
 *
 * Why not @nestjs-cls/transactional: it carries the transaction in an
 * AsyncLocalStorage, and on Node 20 the first `run()` turns on promise hooks
 * for the whole process. Measured here, every route then served about a third
 * fewer requests per second, including the ones that never open a
 * transaction (BENCHMARKS.md).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export class Transaction {
  private readonly afterCommitCallbacks: (() => void)[] = [];

  /** For repositories only: the connection the transaction runs on. */
  constructor(readonly manager: EntityManager) {}

  /**
   * Runs `callback` once the transaction has committed, or once its COMMIT
   * has been sent and its outcome is unknown; never after a rollback. For
   * what must follow the change in memory, such as evicting a cache.
   */
  afterCommit(callback: () => void): void {
    this.afterCommitCallbacks.push(callback);
  }

  /** @internal */
  committed(): void {
    for (const callback of this.afterCommitCallbacks.splice(0)) callback();
  }
}

@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: it commits when `work` resolves, and rolls back when it throws. */
  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      const tx = new Transaction(runner.manager);
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        // A connection that broke mid-transaction cannot roll back; the server does it for us.
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
      try {
        await runner.commitTransaction();
      } finally {
        // Also when COMMIT seemed to fail: it may have succeeded on the server.
        tx.committed();
      }
      return result;
    } finally {
      await runner.release();
    }
  }
}
