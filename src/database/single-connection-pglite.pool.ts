/**
 * PGlite is one PostgreSQL backend in WebAssembly: a single connection.
 * typeorm-pglite hands that connection to every caller at once, so two
 * TypeORM transactions would interleave their statements on it. This pool
 * gives the connection to one query runner at a time (a pool of size 1),
 * which makes transactions and row locks behave as on a real server.
 */
import { join } from 'node:path';
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

/** The `driver` option for a TypeORM postgres DataSource backed by PGlite, kept in `<dataDir>/pglite`. */
export function singleConnectionPGliteDriver(dataDir: string): unknown {
  // PGliteDriver's constructor records the PGlite options for the shared instance.
  new PGliteDriver({ dataDir: dataDir === 'memory://' ? undefined : join(dataDir, 'pglite') });
  return { Pool: SingleConnectionPGlitePool };
}
