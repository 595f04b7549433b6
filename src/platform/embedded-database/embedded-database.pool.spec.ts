import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onLinux, ownPriority, SCHED_BATCH, SCHED_OTHER, threadPriorities } from '../../../test/support/thread-priority';
import { EmbeddedDatabaseConfig } from '../../config/app-config';
import { startLibuvThreadPool } from '../libuv-thread-pool';
import { EMBEDDED_DATABASE_STOPPED, initEmbeddedDataDir, singleConnectionPGliteDriver } from './embedded-database.pool';

// As the platform does at boot: otherwise the database thread would create libuv's pool at its own priority.
beforeAll(() => startLibuvThreadPool());

describe('initEmbeddedDataDir', () => {
  it('creates the cluster in a DATA_DIR that does not exist yet', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mgp-data-')), 'not', 'there', 'yet');
    await initEmbeddedDataDir(dataDir);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    await initEmbeddedDataDir(dataDir); // and is a no-op once it exists
  });

  it('leaves an in-memory database alone', async () => {
    await expect(initEmbeddedDataDir('memory://')).resolves.toBeUndefined();
  });
});

const IN_MEMORY: EmbeddedDatabaseConfig = {
  kind: 'embedded',
  dataDir: 'memory://',
  optimize: 'memory',
  ownThread: true,
  lowerPriority: true,
  migrationsRun: false,
};

type Connect = (callback: (error: unknown) => void) => Promise<void>;

interface Pool {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(callback: (error: unknown) => void): void;
}

describe('the embedded database pool', () => {
  let pool: Pool;
  beforeAll(() => {
    const { Pool } = singleConnectionPGliteDriver(IN_MEMORY) as {
      Pool: new () => Pool;
    };
    pool = new Pool();
  });
  afterAll(() => new Promise((resolve) => pool.end(resolve)));

  it('runs statements with and without parameters', async () => {
    expect((await pool.query('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
    expect((await pool.query('SELECT 1 AS a; SELECT 2 AS b')).rows).toEqual([{ b: 2 }]); // the last result counts
    expect((await pool.query('SELECT $1::boolean AS yes', [true])).rows).toEqual([{ yes: true }]);
  });

  it('runs them beside the event loop, which keeps answering meanwhile', async () => {
    const slow = pool.query('SELECT pg_sleep(0.5)');
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // On the event loop, PGlite would have held this timer until the statement ended.
    expect(Date.now() - started).toBeLessThan(300);
    await slow;
  });

  onLinux('runs them 10 nice levels below request handling, under SCHED_BATCH', async () => {
    await pool.query('SELECT 1');
    expect(threadPriorities()).toContainEqual({ nice: 10, policy: SCHED_BATCH });
    expect(ownPriority()).toEqual({ nice: 0, policy: SCHED_OTHER }); // this thread, untouched
  });

  it('refuses a parameter that cannot cross to the thread, and goes on working', async () => {
    await expect(pool.query('SELECT $1::text AS v', [() => 'code'])).rejects.toThrow(/could not be cloned/);
    expect((await pool.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('reports a failed statement with its SQLSTATE and fields', async () => {
    const failure = await pool.query('SELECT 1 / 0').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: '22012', message: 'division by zero', severity: 'ERROR' });
  });
});

describe('the embedded database pool, when the database cannot start', () => {
  onLinux('reports the failure to whoever connects, and leaves no thread behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mgp-corrupt-'));
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'PG_VERSION'), '99\n'); // a cluster of a version PGlite cannot open
    const threadsBefore = threadPriorities().length;
    const { Pool } = singleConnectionPGliteDriver({ ...IN_MEMORY, dataDir }) as { Pool: new () => Pool & { connect: Connect } };
    const pool = new Pool();
    const failure = await new Promise((resolve) => void pool.connect(resolve));
    expect(String(failure)).toMatch(/Could not start the embedded database/);
    await new Promise((resolve) => pool.end(resolve));
    expect(threadPriorities().length).toBeLessThanOrEqual(threadsBefore);
  });
});

describe('the embedded database pool, once its thread has stopped', () => {
  it('fails statements as stopped', async () => {
    const { Pool } = singleConnectionPGliteDriver(IN_MEMORY) as {
      Pool: new () => Pool;
    };
    const pool = new Pool();
    await pool.query('SELECT 1');
    await new Promise((resolve) => pool.end(resolve));
    const failure = await pool.query('SELECT 1').catch((error: unknown) => error);
    expect(String(failure)).toContain(EMBEDDED_DATABASE_STOPPED); // which the database layer reads as "unavailable"

  });
});

describe('the embedded database pool, with its tuning switched off', () => {
  const open = (config: EmbeddedDatabaseConfig) => new (singleConnectionPGliteDriver(config) as { Pool: new () => Pool }).Pool();
  const lowered = () => threadPriorities().filter((thread) => thread.nice === 10).length;

  it('runs PGlite on the event loop without a thread of its own (TUNE_EMBEDDED_DB_THREAD=false)', async () => {
    const threadsBefore = threadPriorities().length;
    const pool = open({ ...IN_MEMORY, ownThread: false });
    expect((await pool.query('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
    const failure = await pool.query('SELECT 1 / 0').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: '22012', message: 'division by zero' });
    expect(threadPriorities().length).toBe(threadsBefore);
    await new Promise((resolve) => pool.end(resolve));
    expect(String(await pool.query('SELECT 1').catch((error: unknown) => error))).toContain(EMBEDDED_DATABASE_STOPPED);
  });

  onLinux('leaves the database thread at full priority (TUNE_THREAD_PRIORITIES=false)', async () => {
    const pool = open({ ...IN_MEMORY, lowerPriority: false });
    try {
      await pool.query('SELECT 1');
      expect(lowered()).toBe(0);
    } finally {
      await new Promise((resolve) => pool.end(resolve));
    }
  });
});
