import { AppProcess, startAppProcess } from './support/app-process';
import { createTestDatabase, serverUrl, TestDatabase } from './support/test-database';
import { onLinux, SCHED_BATCH, SCHED_IDLE, SCHED_OTHER, threadPriorities } from './support/thread-priority';

jest.setTimeout(120_000);

/**
 * Only the threads meant to yield run at a lower priority. libuv's thread
 * pool (asynchronous fs, dns, crypto) is created by whichever thread uses it
 * first and inherits that thread's priority; it must not be a lowered one.
 */
describe('Thread priorities of a running service', () => {
  let database: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppProcess({ ...database.env, JWT_SECRET: 'thread-priorities-secret-of-32-bytes!!', PASSWORD_HASH_CONCURRENCY: '1' });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  onLinux('lowers the password-hashing thread, and the embedded database thread, and nothing else', async () => {
    // A sign-up hashes a password and writes to the database: every kind of thread has started.
    const signup = await fetch(`${app.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'threads@example.com', password: 'thread priorities 1' }),
    });
    expect(signup.status).toBe(201);

    const count = (nice: number, policy: number) =>
      threadPriorities(app.pid).filter((thread) => thread.nice === nice && thread.policy === policy).length;
    const all = threadPriorities(app.pid).length;
    expect(count(19, SCHED_IDLE)).toBe(1);
    const embeddedThreads = serverUrl() ? 0 : 1;
    expect(count(10, SCHED_BATCH)).toBe(embeddedThreads);
    expect(count(0, SCHED_OTHER)).toBe(all - 1 - embeddedThreads);
  });
});
