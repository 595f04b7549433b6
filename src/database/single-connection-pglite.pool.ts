/**
 * PGlite is one PostgreSQL backend in WebAssembly: a single connection.
 * typeorm-pglite hands that connection to every caller at once, so two
 * TypeORM transactions would interleave their statements on it. This pool
 * gives the connection to one query runner at a time (a pool of size 1),
 * which makes transactions and row locks behave as on a real server.
 */
import { PGlite } from '@electric-sql/pglite';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';

type ConnectCallback = Parameters<PGlitePool['connect']>[0];

class SingleConnectionPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: ConnectCallback): Promise<void> {
    let unlock!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (unlock = resolve));
    return previous.then(() =>
      super.connect((error, client) => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          unlock();
        };
        if (error) release();
        callback(error, client, release);
      }),
    );
  }
}

const IN_MEMORY = 'memory://';

/**
 * PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly
 * heap, in this process; 16 MB is plenty for this service's tables.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const pgliteFolder = (dataDir: string) => (dataDir === IN_MEMORY ? undefined : join(dataDir, 'pglite'));

/** The `driver` option for a TypeORM postgres DataSource backed by PGlite, kept in `<dataDir>/pglite`. */
export function singleConnectionPGliteDriver(dataDir: string): unknown {
  // PGliteDriver's constructor records the PGlite options for the shared instance.
  new PGliteDriver({ dataDir: pgliteFolder(dataDir), startParams: START_PARAMS });
  return { Pool: SingleConnectionPGlitePool };
}

/**
 * Creates the database cluster on first start, in a worker thread: initdb
 * grows PGlite's WebAssembly heap to several hundred megabytes, which this
 * process would otherwise keep for its whole life. The worker's memory is
 * returned when it exits.
 */
export async function initEmbeddedDataDir(dataDir: string): Promise<void> {
  const folder = pgliteFolder(dataDir);
  if (!folder || existsSync(join(folder, 'PG_VERSION'))) return;
  mkdirSync(folder, { recursive: true });
  const worker = new Worker(INITDB_WORKER, {
    eval: true,
    workerData: { pglite: require.resolve('@electric-sql/pglite'), options: { dataDir: folder, startParams: START_PARAMS } },
  });
  const [exitCode] = (await once(worker, 'exit')) as [number];
  if (exitCode !== 0) throw new Error(`Could not create the embedded database in ${folder}`);
}

const INITDB_WORKER = `
  const { workerData } = require('node:worker_threads');
  const { PGlite } = require(workerData.pglite);
  PGlite.create(workerData.options).then((db) => db.close()).catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;
