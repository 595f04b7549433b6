/**
 * PGlite is one PostgreSQL backend in WebAssembly: a single connection.
 * typeorm-pglite hands that connection to every caller at once, so two
 * TypeORM transactions would interleave their statements on it. This pool
 * gives the connection to one query runner at a time (a pool of size 1),
 * which makes transactions and row locks behave as on a real server.
 */
import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { EmbeddedDatabaseConfig } from '../config/app-config';

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
export function singleConnectionPGliteDriver({ dataDir, optimize }: EmbeddedDatabaseConfig): unknown {
  if (optimize === 'memory') compileWebAssemblyForMemory();
  // PGliteDriver's constructor records the PGlite options for the shared instance.
  new PGliteDriver({ dataDir: pgliteFolder(dataDir), startParams: START_PARAMS });
  return { Pool: SingleConnectionPGlitePool };
}

/**
 * V8 compiles WebAssembly with a baseline compiler, then recompiles hot
 * functions with its optimising one. For PostgreSQL's 9 MB module the second
 * tier costs about 70 MB of resident memory for the process's life, and buys
 * about 17% of throughput on a database-bound route (measured on listing API
 * keys); verification never touches the database at steady state. V8 reads the flag when it compiles a module, so it
 * is set before PGlite's first one.
 */
function compileWebAssemblyForMemory(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * Creates the database cluster on first start, in a child process: initdb
 * grows PGlite's WebAssembly heap and the allocator's arenas by over 100 MB,
 * which this process would keep for its whole life, even if initdb ran in a
 * worker thread (freed memory stays with the process). An exited process
 * returns all of it.
 */
export async function initEmbeddedDataDir(dataDir: string): Promise<void> {
  const folder = pgliteFolder(dataDir);
  if (!folder || existsSync(join(folder, 'PG_VERSION'))) return;
  mkdirSync(folder, { recursive: true });
  const options = { dataDir: folder, startParams: START_PARAMS };
  const initdb = spawn(process.execPath, ['-e', INITDB_SCRIPT, require.resolve('@electric-sql/pglite'), JSON.stringify(options)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  initdb.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': by then stderr has been read to the end.
  const [exitCode, signal] = (await once(initdb, 'close')) as [number | null, NodeJS.Signals | null];
  if (exitCode !== 0) {
    const how = signal ? `killed by ${signal}` : `exit code ${exitCode}`;
    throw new Error(`Could not create the embedded database in ${folder} (${how}): ${stderr.trim()}`);
  }
}

const INITDB_SCRIPT = `
  const [pglite, options] = process.argv.slice(1);
  const { PGlite } = require(pglite);
  PGlite.create(JSON.parse(options)).then((db) => db.close()).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
`;
