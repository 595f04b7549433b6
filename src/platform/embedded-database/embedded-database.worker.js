/**
 * The embedded database's thread: it owns the PGlite instance and runs the
 * statements the service's connection pool sends it. PGlite executes a
 * statement synchronously; here it runs beside the event loop, as a
 * PostgreSQL server's backend would.
 *
 * With lowered priority (TUNE_THREAD_PRIORITIES, the default) the thread
 * runs 10 nice levels below the service, so that request handling wins a
 * contended core, and under SCHED_BATCH, so that the wakeup each statement
 * causes does not preempt the event loop. BENCHMARKS.md has the numbers.
 *
 * Messages: first { ready: true } or { ready: false, error } once PGlite has
 * started or failed to. Then, for each request { id, sql, params } or
 * { id, close: true }, a reply { id, result } or { id, error }.
 */
'use strict';

const { parentPort, workerData } = require('node:worker_threads');
const { openPGlite, runStatement, errorFields } = require('./pglite-statements');

/** Linux nice is per thread; elsewhere nice() would lower the whole process, so it is left alone. */
const DATABASE_THREAD_NICE = 10;
if (workerData.lowerPriority && process.platform === 'linux') {
  try {
    require('@napi-rs/nice').nice(DATABASE_THREAD_NICE);
  } catch {
    // No prebuilt binary for this machine: the thread keeps the service's priority.
  }
  // Without chrt, the thread stays under SCHED_OTHER.
  require('../thread-scheduling').setOwnSchedulingPolicy('batch');
}

const database = openPGlite(workerData.options);
database.then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ ready: false, error: { message: error?.message ?? String(error) } }),
);

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
    reply(request.id, { result: await runStatement(db, request.sql, request.params) });
  } catch (error) {
    reply(request.id, { error: errorFields(error) });
  }
});
