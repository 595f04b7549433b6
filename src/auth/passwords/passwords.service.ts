import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { ApiException } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';
import { HashingQueue } from './hashing-queue';
import { normalizePassword } from './password';

/** Linux nice increment for the hashing threads (with Piscina's optional @napi-rs/nice). */
const HASHING_NICE_INCREMENT = 19;
/** Logins waiting for a hashing thread, per thread, beyond which a login is refused with 503. */
const QUEUED_PER_THREAD = 64;
/** A hash that has not finished by then, queue included, is abandoned with 503 rather than left waiting. */
const HASHING_DEADLINE_MS = 10_000;
const HASHING_RETRY_AFTER_S = 5;

const busy = () =>
  new ApiException('service_unavailable', 'Too many sign-ins at once; try again shortly', {
    retryAfterS: HASHING_RETRY_AFTER_S,
  });

/**
 * Password hashing with argon2id, off the event loop and out of its way: at
 * most `PASSWORD_HASH_CONCURRENCY` hashes run at once, each in a worker
 * thread of the lowest CPU priority; further logins queue, within bounds. A
 * burst of logins therefore slows logins, not the API-key and session traffic
 * beside them; on a core saturated for long, logins fail with 503 instead of
 * waiting without end.
 */
@Injectable()
export class PasswordsService implements OnModuleInit, OnApplicationShutdown {
  /** Verified against when the email is unknown, so that both failures cost the same. */
  private dummyHash!: string;
  private readonly workers: Piscina;
  readonly queue: HashingQueue;

  constructor(config: ConfigService<AppConfig, true>) {
    const concurrency = config.get('auth', { infer: true }).passwordHashConcurrency;
    const lowerPriority = config.get('tuning', { infer: true }).threadPriorities;
    this.queue = new HashingQueue(concurrency, concurrency * QUEUED_PER_THREAD);
    this.workers = new Piscina({
      filename: join(__dirname, 'password-hashing.worker.js'),
      minThreads: 1,
      maxThreads: concurrency,
      // Threads beyond the first stay a minute after a burst instead of starting again for the next.
      idleTimeout: 60_000,
      niceIncrement: lowerPriority ? HASHING_NICE_INCREMENT : 0,
      workerData: { lowerPriority },
    });
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(16).toString('hex'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.queue.close(new Error('Shutting down'));
    await this.workers.destroy();
  }

  /** Hashes the password in its normal form (see normalizePassword). */
  hash(password: string): Promise<string> {
    return this.run<string>('hash', { password: normalizePassword(password) });
  }

  /**
   * Always does a full verification, also when there is no stored hash, so
   * that the time taken does not tell. A malformed stored hash does not match.
   * A password that normalisation changes is also tried as typed: a hash
   * made before passwords were normalised is of the password as typed.
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const hash = storedHash ?? this.dummyHash;
    const normalized = normalizePassword(password);
    let matches = await this.run<boolean>('verify', { hash, password: normalized });
    if (!matches && normalized !== password) matches = await this.run<boolean>('verify', { hash, password });
    return storedHash !== undefined && matches;
  }

  private async run<T>(name: 'hash' | 'verify', task: object): Promise<T> {
    const deadline = AbortSignal.timeout(HASHING_DEADLINE_MS);
    try {
      return await this.queue.run(() => this.workers.run(task, { name, signal: deadline }) as Promise<T>, deadline);
    } catch {
      // A full queue, the deadline, or a failed thread: the password itself was never judged.
      throw busy();
    }
  }
}
