import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { AttemptCounter } from './attempt-counter';

/**
 * @nestjs/throttler's storage over the service's attempt counters, so that
 * its limits count where every other limit counts. Fixed windows: once over
 * the limit, a key stays blocked until its window ends.
 */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counter: AttemptCounter) {}

  async increment(key: string, ttlMs: number, limit: number, _blockDurationMs: number, throttler: string): Promise<ThrottlerStorageRecord> {
    const { count, resetInMs } = await this.counter.increment(`${throttler}:${key}`, ttlMs);
    const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
    return { totalHits: count, timeToExpire: seconds, isBlocked: count > limit, timeToBlockExpire: count > limit ? seconds : 0 };
  }
}
