import { ConfigService } from '@nestjs/config';
import { Piscina } from 'piscina';
import { ApiException } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';
import { onLinux, ownPriority, SCHED_IDLE, SCHED_OTHER, threadPriorities } from '../../../test/support/thread-priority';
import { HashingQueue } from './hashing-queue';
import { PasswordsService } from './passwords.service';

const withConcurrency = (passwordHashConcurrency: number) =>
  new PasswordsService({
    get: (key: string) => (key === 'tuning' ? { threadPriorities: true } : { passwordHashConcurrency }),
  } as unknown as ConfigService<AppConfig, true>);
const poolOf = (passwords: PasswordsService) => (passwords as unknown as { workers: Piscina }).workers;

describe('PasswordsService', () => {
  const passwords = withConcurrency(1);
  const pool = poolOf(passwords);
  beforeAll(() => passwords.onModuleInit());
  afterAll(() => passwords.onApplicationShutdown());

  it('hashes with argon2id at m=19 MiB, t=2, p=1', async () => {
    expect(await passwords.hash('correct horse')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await passwords.hash('correct horse');
    expect(await passwords.verify(stored, 'correct horse')).toBe(true);
    expect(await passwords.verify(stored, 'wrong horse')).toBe(false);
  });

  it('still runs one full verification when there is no stored hash', async () => {
    const run = jest.spyOn(pool, 'run');
    expect(await passwords.verify(undefined, 'anything at all')).toBe(false);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0][0]).toEqual({ hash: expect.stringMatching(/^\$argon2id\$/), password: 'anything at all' });
    expect(run.mock.calls[0][1]).toEqual(expect.objectContaining({ name: 'verify' }));
    run.mockRestore();
  });

  it('runs as many argon2 computations at once as configured; the rest queue', async () => {
    const two = withConcurrency(2);
    const twoPool = poolOf(two);
    const twoQueue = (two as unknown as { queue: HashingQueue }).queue;
    let mostThreads = 0;
    let mostQueued = 0;
    let mostQueuedInPool = 0;
    const sample = setInterval(() => {
      mostThreads = Math.max(mostThreads, twoPool.threads.length);
      mostQueued = Math.max(mostQueued, twoQueue.length);
      mostQueuedInPool = Math.max(mostQueuedInPool, twoPool.queueSize);
    }, 2);
    try {
      await Promise.all(Array.from({ length: 20 }, () => two.hash('anything')));
      expect(mostThreads).toBe(2);
      expect(mostQueued).toBeGreaterThan(0);
      // The service queues, in order; the pool is never given more than it has threads.
      expect(mostQueuedInPool).toBe(0);
    } finally {
      clearInterval(sample);
      await two.onApplicationShutdown();
    }
  });

  it('refuses at once with 503 what its queue cannot hold, instead of queueing without bound', async () => {
    const one = withConcurrency(1);
    const settled: (number | string)[] = [];
    const attempts = Array.from({ length: 80 }, () =>
      one.verify(undefined, 'anything').then(
        () => settled.push('verified'),
        (error: ApiException) => settled.push(error.getStatus()),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1)); // far less than one argon2 computation
    expect(settled.length).toBeGreaterThanOrEqual(80 - 64 - 1);
    expect(new Set(settled)).toEqual(new Set([503]));
    await one.onApplicationShutdown(); // what was queued is abandoned
    await Promise.all(attempts);
  });

  onLinux('hashes in a thread of the lowest CPU priority, so request handling comes first', async () => {
    await passwords.hash('correct horse');
    expect(threadPriorities()).toContainEqual({ nice: 19, policy: SCHED_IDLE });
    expect(ownPriority()).toEqual({ nice: 0, policy: SCHED_OTHER }); // this thread, untouched
  });

  it('treats a corrupt stored hash as a failed login, not an error', async () => {
    expect(await passwords.verify('not-a-hash', 'anything')).toBe(false);
  });
});
