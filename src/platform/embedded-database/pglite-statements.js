/**
 * PGlite, opened and driven the same way in the database thread and, with
 * TUNE_EMBEDDED_DB_THREAD=false, on the event loop. Plain JavaScript: worker
 * threads load it without the TypeScript toolchain, under Jest as well as
 * from dist/.
 */
'use strict';

const { PGlite } = require('@electric-sql/pglite');
const { PGliteDriver, getPGliteInstance } = require('typeorm-pglite');

/**
 * typeorm-pglite's driver records the options, with its boolean serializer,
 * for the one instance of this thread (or process).
 * @param {{ dataDir?: string, extraStartParams: string[] }} options
 */
function openPGlite({ dataDir, extraStartParams }) {
  new PGliteDriver({ dataDir, startParams: [...PGlite.defaultStartParams, ...extraStartParams] });
  return getPGliteInstance();
}

/** As typeorm-pglite runs statements: with parameters, one query; without, possibly several, and the last result counts. */
async function runStatement(db, sql, params) {
  if (Array.isArray(params) && params.length > 0) return db.query(sql, params);
  const results = await db.exec(sql);
  return results[results.length - 1] ?? { rows: [] };
}

/** An error's own fields (SQLSTATE `code`, `detail`, `constraint`, ...): a cloned Error keeps only its message. */
function errorFields(error) {
  return { ...error, message: error?.message ?? String(error) };
}

module.exports = { openPGlite, runStatement, errorFields };
