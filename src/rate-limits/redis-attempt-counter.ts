import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { AttemptCount, AttemptCounter, MemoryAttemptCounter } from './attempt-counter';

/** A command that takes longer than this counts as Redis being away: a request never waits on it for longer. */
const COMMAND_TIMEOUT_MS = 250;
/** Reconnect attempts come this often at most, and never stop. */
const MAX_RECONNECT_DELAY_MS = 2000;
const KEY_PREFIX = 'magpipe:rate:';

/**
 * `sign_in_failures:ada@example.com` as `magpipe:rate:sign_in_failures:<digest>`:
 * what a counter is for stays readable, and no email or address is stored in Redis.
 */
function redisKey(key: string): string {
  const split = key.indexOf(':');
  const kind = split > 0 ? key.slice(0, split) : 'key';
  return `${KEY_PREFIX}${kind}:${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * INCR, and on a window's first attempt its expiry, in one step: two
 * instances counting at once see 1 and 2, and the window always ends.
 */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type Increment = (key: string, windowMs: number) => Promise<[number, number]>;

/**
 * Counters in Redis, shared by every instance. While Redis cannot be
 * reached, this instance counts in memory instead, says so once, and goes
 * back to Redis by itself once it answers again: a rate limit never fails a
 * request, nor makes it wait more than a moment, because of Redis.
 */
export class RedisAttemptCounter extends AttemptCounter {
  private readonly logger = new Logger('RateLimits');
  private readonly redis: Redis;
  private readonly local: MemoryAttemptCounter;
  private readonly incrementScript: Increment;
  private usingLocal = false;

  constructor(url: string, now: () => number = Date.now) {
    super();
    this.local = new MemoryAttemptCounter(now);
    this.redis = new Redis(url, {
      // Fail at once while disconnected rather than queue: the local counters take over.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
      lazyConnect: false,
    });
    this.redis.defineCommand('magpipeIncrement', { numberOfKeys: 1, lua: INCREMENT });
    const script = (this.redis as unknown as { magpipeIncrement: (key: string, windowMs: number) => Promise<[number, number]> }).magpipeIncrement;
    this.incrementScript = script.bind(this.redis);
    // ioredis reports every failed reconnect; the switch to local counting is what an operator needs to know.
    this.redis.on('error', () => this.fellBack('connection error'));
    this.redis.on('end', () => this.fellBack('connection ended'));
    this.redis.on('ready', () => {
      if (!this.usingLocal) return;
      this.usingLocal = false;
      this.logger.log('Redis answers again: rate limits are shared again');
    });
  }

  /** Whether this instance counts on its own now, because Redis cannot be reached. */
  get countsLocally(): boolean {
    return this.usingLocal || this.redis.status !== 'ready';
  }

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    if (this.redis.status !== 'ready') return this.fellBackFor(() => this.local.increment(key, windowMs), 'not connected');
    try {
      const [count, resetInMs] = await this.incrementScript(redisKey(key), windowMs);
      return { count, resetInMs };
    } catch (error) {
      return this.fellBackFor(() => this.local.increment(key, windowMs), (error as Error).message);
    }
  }

  async peek(key: string): Promise<AttemptCount> {
    if (this.redis.status !== 'ready') return this.fellBackFor(() => this.local.peek(key), 'not connected');
    try {
      const stored = redisKey(key);
      const [[, count], [, ttl]] = (await this.redis.multi().get(stored).pttl(stored).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      return count === null || ttl < 0 ? { count: 0, resetInMs: 0 } : { count: Number(count), resetInMs: ttl };
    } catch (error) {
      return this.fellBackFor(() => this.local.peek(key), (error as Error).message);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis.disconnect();
  }

  private fellBackFor<T>(count: () => Promise<T>, reason: string): Promise<T> {
    this.fellBack(reason);
    return count();
  }

  private fellBack(reason: string): void {
    if (this.usingLocal) return;
    this.usingLocal = true;
    this.logger.warn({ err: { message: reason } }, 'Redis cannot be reached: each instance counts rate limits on its own until it answers');
  }
}
