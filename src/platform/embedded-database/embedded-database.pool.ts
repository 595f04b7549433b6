/**
 * The embedded database: PGlite, one PostgreSQL backend in WebAssembly, by
 * default in a thread of its own (embedded-database.worker.js) so that its
 * statements never hold up the event loop.
 *
 * PGlite is a single connection. typeorm-pglite's pool hands that connection
 * to every caller at once, so two TypeORM transactions would interleave their
 * statements on it. This pool gives the connection to one query runner at a
 * time (a pool of size 1), which makes transactions and row locks behave as
 * on a real server.
 */
import { PGlite, Results } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EmbeddedDatabaseConfig } from '../../config/app-config';

/** pglite-statements.js: plain JavaScript, shared with the worker thread. */
interface PGliteStatements {
  openPGlite(options: PGliteOptions): Promise<PGlite>;
  runStatement(db: PGlite, sql: string, params?: unknown[]): Promise<Results>;
  errorFields(error: unknown): Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const statements = require('./pglite-statements') as PGliteStatements;

/** The start of every error that means the embedded database is gone. */
export const EMBEDDED_DATABASE_STOPPED = 'The embedded database thread stopped';

type ConnectCallback = (error: unknown, client: EmbeddedDatabasePool | null, release: () => void) => void;
type QueryCallback = (error: unknown, results: Results | null) => void;

/** For PGlite, in the database thread and in the initdb process: the main thread does not load PGlite at all. */
interface PGliteOptions {
  dataDir?: string;
  /** Appended to PGlite's own start parameters. */
  extraStartParams: string[];
}

type Reply = { id: number; result?: unknown; error?: { message: string } } | { ready: boolean; error?: { message: string } };

/** Where PGlite runs: its own thread, or this one. */
interface EmbeddedDatabase {
  /** Settles when PGlite has started, or could not. */
  readonly ready: Promise<void>;
  run(sql: string, params?: unknown[]): Promise<Results>;
  close(): Promise<void>;
}

/** The thread that owns the PGlite instance; statements go to it in order, results come back. */
class EmbeddedDatabaseThread implements EmbeddedDatabase {
  /** Settles when PGlite has started in the thread, or could not. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private closing = false;
  private failure?: Error;

  constructor(options: PGliteOptions, lowerPriority: boolean) {
    this.worker = new Worker(join(__dirname, 'embedded-database.worker.js'), {
      workerData: { options, lowerPriority },
      // Its JavaScript only relays statements and results; V8's default young generation would add 10-20 MB of RSS.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    let started!: () => void;
    let notStarted!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => ((started = resolve), (notStarted = reject)));
    this.ready.catch(() => undefined); // reported to whoever connects
    this.worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        if (reply.ready) return started();
        notStarted(new Error(`Could not start the embedded database: ${reply.error?.message}`));
        void this.worker.terminate();
        return;
      }
      const request = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) request?.reject(Object.assign(new Error(reply.error.message), reply.error));
      else request?.resolve(reply.result);
    });
    const stop = (reason: string, cause?: Error) => {
      if (this.failure) return;
      this.failure = new Error(`${EMBEDDED_DATABASE_STOPPED} (${reason})`, { cause });
      notStarted(this.failure);
      for (const request of this.pending.values()) request.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', (error) => stop(error.message, error));
    this.worker.on('exit', (code) => stop(`exit code ${code}`));
  }

  run(sql: string, params?: unknown[]): Promise<Results> {
    return this.send({ sql, params }) as Promise<Results>;
  }

  /** Closes PGlite (it writes what it holds), then ends the thread whatever happened; statements sent later are refused. */
  async close(): Promise<void> {
    try {
      if (!this.failure && !this.closing) {
        const closed = this.send({ close: true });
        this.closing = true;
        await closed;
      }
    } finally {
      await this.worker.terminate();
    }
  }

  private send(request: object): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error(`${EMBEDDED_DATABASE_STOPPED} (closing)`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // A parameter that cannot be cloned throws here, before anything waits for a reply.
      this.worker.postMessage({ id, ...request });
      this.pending.set(id, { resolve, reject });
    });
  }
}

/**
 * PGlite on the event loop (TUNE_EMBEDDED_DB_THREAD=false): every statement
 * holds up all other requests while it runs. For measuring what the thread
 * buys, and for platforms without worker threads. One per process, as
 * typeorm-pglite keeps one instance.
 */
class InProcessEmbeddedDatabase implements EmbeddedDatabase {
  readonly ready: Promise<void>;
  private readonly database: Promise<PGlite>;
  private stopped?: Error;

  constructor(options: PGliteOptions) {
    this.database = statements.openPGlite(options);
    this.ready = this.database.then(
      () => undefined,
      (error: Error) => {
        throw new Error(`Could not start the embedded database: ${error.message}`);
      },
    );
    this.ready.catch(() => undefined); // reported to whoever connects
  }

  async run(sql: string, params?: unknown[]): Promise<Results> {
    if (this.stopped) throw this.stopped;
    const db = await this.database;
    try {
      return await statements.runStatement(db, sql, params);
    } catch (error) {
      throw Object.assign(new Error((error as Error).message), statements.errorFields(error));
    }
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = new Error(`${EMBEDDED_DATABASE_STOPPED} (closed)`);
    await (await this.database.catch(() => undefined))?.close();
  }
}

/** What TypeORM's postgres driver needs of a `pg` pool, of its clients (the pool itself here) and their events. */
class EmbeddedDatabasePool extends EventEmitter {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly database: EmbeddedDatabase) {
    super();
  }

  async connect(callback: ConnectCallback): Promise<void> {
    try {
      await this.database.ready;
    } catch (error) {
      callback(error, null, () => undefined);
      return;
    }
    let unlock!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (unlock = resolve));
    return previous.then(() => {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        unlock();
      };
      callback(null, this, release);
    });
  }

  /** Called as `query(sql, params?)` for a promise, and by TypeORM also as `query(sql, callback)`. */
  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<Results> {
    const [values, done] = typeof params === 'function' ? [undefined, params] : [params, callback];
    const result = this.database.run(sql, values);
    if (done) result.then((results) => done(null, results), (error: unknown) => done(error, null));
    return result;
  }

  end(callback: (error: unknown) => void): void {
    this.database.close().then(() => callback(null), callback);
  }
}

const IN_MEMORY = 'memory://';

/**
 * PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly
 * heap, in this process; 16 MB is plenty for this service's tables.
 */
const EXTRA_START_PARAMS = ['-c', 'shared_buffers=16MB'];

const pgliteFolder = (dataDir: string) => (dataDir === IN_MEMORY ? undefined : join(dataDir, 'pglite'));

/**
 * The `driver` option for a TypeORM postgres DataSource backed by PGlite,
 * kept in `<dataDir>/pglite`. The database starts with the pool, when the
 * DataSource is initialised, and ends with it.
 */
export function singleConnectionPGliteDriver({ dataDir, ownThread, lowerPriority }: EmbeddedDatabaseConfig): unknown {
  const options: PGliteOptions = { dataDir: pgliteFolder(dataDir), extraStartParams: EXTRA_START_PARAMS };
  return {
    Pool: class extends EmbeddedDatabasePool {
      constructor() {
        super(ownThread ? new EmbeddedDatabaseThread(options, lowerPriority) : new InProcessEmbeddedDatabase(options));
      }
    },
  };
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
  const options: PGliteOptions = { dataDir: folder, extraStartParams: EXTRA_START_PARAMS };
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
  const { dataDir, extraStartParams } = JSON.parse(options);
  PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...extraStartParams] }).then((db) => db.close()).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
`;
