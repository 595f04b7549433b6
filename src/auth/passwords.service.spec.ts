import { ConfigService } from '@nestjs/config';
import { readdirSync, readFileSync } from 'node:fs';
import { Piscina } from 'piscina';
import { AppConfig } from '../config/app-config';
import { PasswordsService } from './passwords.service';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** The nice value and scheduling policy of each of this process's threads (Linux, proc(5)). */
const threadPriorities = () =>
  readdirSync('/proc/self/task').map((tid) => {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 19 and 41 of stat; the first of these is field 3, after the id and the name.
    return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });

describe('PasswordsService', () => {
  const config = { get: () => ({ passwordHashConcurrency: 1 }) } as unknown as ConfigService<AppConfig, true>;
  const passwords = new PasswordsService(config);
  const pool = (passwords as unknown as { workers: Piscina }).workers;
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
    expect(run.mock.calls[0][1]).toEqual({ name: 'verify' });
    run.mockRestore();
  });

  it('runs no more argon2 computations at once than configured; the rest queue', async () => {
    const burst = Promise.all(Array.from({ length: 4 }, () => passwords.verify(undefined, 'anything')));
    expect(pool.threads.length).toBeLessThanOrEqual(1);
    expect(pool.queueSize).toBeGreaterThanOrEqual(3);
    await burst;
    expect(pool.threads.length).toBeLessThanOrEqual(1);
  });

  it('hashes in a thread of the lowest CPU priority, so request handling comes first', async () => {
    await passwords.hash('correct horse');
    expect(threadPriorities()).toContainEqual({ nice: 19, policy: SCHED_IDLE });
    expect(threadPriorities()).toContainEqual({ nice: 0, policy: SCHED_OTHER }); // this thread, untouched
  });

  it('treats a corrupt stored hash as a failed login, not an error', async () => {
    expect(await passwords.verify('not-a-hash', 'anything')).toBe(false);
  });
});
