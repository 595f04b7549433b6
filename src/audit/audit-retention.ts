/**
 * Deletes events older than AUDIT_RETENTION_DAYS, in batches of short
 * statements with a pause between them, so that requests are never held up
 * behind it; hourly, and a minute after boot. With several instances on one
 * server, one deletes and the others skip: an advisory lock decides.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatabaseNotifications } from '../database/notifications';
import { AuditEventsRepository } from './audit-events.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH_SIZE = 1000;
const INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 60 * 1000;
/** Any 64-bit number, the same on every instance, distinct from the migrations' lock. */
const RETENTION_LOCK_ID = 727_364_113;

export type RetentionOutcome = { deleted: number } | 'skipped';

@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetention.name);
  private readonly retentionMs: number;
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<RetentionOutcome>;

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly notifications: DatabaseNotifications,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.retentionMs = config.get('audit', { infer: true }).retentionDays * DAY_MS;
  }

  onApplicationBootstrap(): void {
    const run = () => void this.run().catch((error: Error) => this.logger.warn({ err: { message: error.message } }, 'Audit retention failed; will retry'));
    this.timers = [setTimeout(run, FIRST_RUN_DELAY_MS), setInterval(run, INTERVAL_MS)];
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass: every expired event deleted, or 'skipped' when another instance is at it. */
  run(): Promise<RetentionOutcome> {
    this.running ??= this.deleteExpired().finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteExpired(): Promise<RetentionOutcome> {
    const before = new Date(this.clock.nowMs() - this.retentionMs);
    let deleted = 0;
    const inBatches = async (deleteBatch: (before: Date, size: number) => Promise<number>) => {
      for (;;) {
        const count = await deleteBatch(before, BATCH_SIZE);
        deleted += count;
        if (count < BATCH_SIZE) return;
        await nextTurn(); // let waiting requests have the connection
      }
    };
    if (this.notifications.crossProcess) {
      if (!(await this.events.exclusively(RETENTION_LOCK_ID, inBatches))) return 'skipped';
    } else {
      await inBatches((at, size) => this.events.deleteBatch(at, size));
    }
    if (deleted > 0) this.logger.log({ deleted }, 'Deleted expired audit events');
    return { deleted };
  }
}
