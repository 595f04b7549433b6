/**
 * The embedded database's thread: it owns the PGlite instance and runs the
 * statements the service's connection pool sends it. PGlite executes a
 * statement synchronously, so on the event loop every query (a login's two,
 * a listing, a migration) would hold up all other requests meanwhile; here it
 * runs beside the event loop, as a PostgreSQL server's backend would.
 *
 * On Linux the thread runs 10 nice levels below the service: where it and the event loop contend
 * for a core, the event loop, which verifies credentials from memory, gets
 * most of it, and a burst of logins or listings slows down those requests
 * rather than everyone's. (Measured on the bench: (e)p99/(b)p99 went from
 * 2.2 to 1.8.) It is never starved, as the password hashing threads may be.
 *
 * It also runs under SCHED_BATCH, so that the wakeup each statement causes
 * does not preempt the event loop: under SCHED_OTHER the kernel often woke
 * it on the event loop's core and ran it first. A CPU profile of a burst of
 * logins found the event loop stalled inside postMessage for 0.55 ms per
 * login; under SCHED_BATCH, 0.17 ms.
 *
 * Messages: first { ready: true } or { ready: false, error } once PGlite has
 * started or failed to. Then, for each request { id, sql, params } or
 * { id, close: true }, a reply { id, result } or { id, error }, with the
 * error's own fields copied (SQLSTATE `code`, `detail`, `constraint`, ...),
 * since a cloned Error keeps only its message.
 *
 * Plain JavaScript: worker threads load it without the TypeScript toolchain,
 * under Jest as well as from dist/.
 */
'use strict';

const { parentPort, workerData } = require('node:worker_threads');

/** Linux nice is per thread; elsewhere nice() would lower the whole process, so it is left alone. */
const DATABASE_THREAD_NICE = 10;
if (process.platform === 'linux') {
  try {
    require('@napi-rs/nice').nice(DATABASE_THREAD_NICE);
  } catch {
    // No prebuilt binary for this machine: the thread keeps the service's priority.
  }
  // Without chrt, the thread stays under SCHED_OTHER.
  require('../common/thread-scheduling').setOwnSchedulingPolicy('batch');
}
const { PGlite } = require('@electric-sql/pglite');
const { PGliteDriver, getPGliteInstance } = require('typeorm-pglite');

// typeorm-pglite's driver records the options, with its boolean serializer, for the one instance.
const { dataDir, extraStartParams } = workerData.options;
new PGliteDriver({ dataDir, startParams: [...PGlite.defaultStartParams, ...extraStartParams] });
const database = getPGliteInstance();
database.then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ ready: false, error: { message: error?.message ?? String(error) } }),
);

/** As typeorm-pglite runs statements: with parameters, one query; without, possibly several, and the last result counts. */
async function run(db, { sql, params }) {
  if (Array.isArray(params) && params.length > 0) return db.query(sql, params);
  const results = await db.exec(sql);
  return results[results.length - 1] ?? { rows: [] };
}

function reply(id, outcome) {
  try {
    parentPort.postMessage({ id, ...outcome });
  } catch (error) {
    // A result or an error field that cannot be cloned.
    parentPort.postMessage({ id, error: { message: `Embedded database reply: ${error.message}` } });
  }
}

parentPort.on('message', async (request) => {
  try {
    const db = await database;
    if (request.close) {
      await db.close();
      reply(request.id, { result: null });
      parentPort.close();
      return;
    }
    reply(request.id, { result: await run(db, request) });
  } catch (error) {
    reply(request.id, { error: { ...error, message: error?.message ?? String(error) } });
  }
});
