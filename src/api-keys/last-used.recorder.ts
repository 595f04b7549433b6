/**
 * Records when each API key was last used without writing on the request
 * path: uses are coalesced in memory (one entry per key, the latest time) and
 * flushed in one batched UPDATE every few seconds and at shutdown. A key used
 * a thousand times between flushes costs one row update.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../config/app-config';
import { ApiKeysRepository } from './api-keys.repository';

@Injectable()
export class LastUsedRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(LastUsedRecorder.name);
  /** Key id → the latest use, in epoch milliseconds. */
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onModuleInit(): void {
    const intervalMs = this.config.get('apiKeys', { infer: true }).lastUsedFlushMs;
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Before the database closes, which happens on application shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(apiKeyId: string, atMs: number): void {
    this.pending.set(apiKeyId, atMs);
  }

  /** Writes what has been recorded so far; safe to call at any time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()];
    try {
      await this.apiKeys.recordLastUsed(
        ids,
        ids.map((id) => new Date(batch.get(id)!)),
      );
    } catch (error) {
      // Keep the uses for the next flush unless newer ones arrived meanwhile.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn({ err: { message: (error as Error).message } }, 'Could not record API key use; will retry');
    }
  }
}
