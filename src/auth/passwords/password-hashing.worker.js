/**
 * argon2id, run by PasswordsService in a Piscina worker thread with the
 * lowest CPU priority. argon2 is the one CPU-heavy thing the service does; in
 * a thread of its own, at that priority, a burst of logins takes only the CPU
 * that request handling leaves. The calls are synchronous because this thread
 * does nothing else (libuv's pool is shared with the event loop's I/O and
 * cannot be given a lower priority).
 *
 * On Linux the thread also moves to the SCHED_IDLE policy; Piscina sets nice
 * 19 as well, through its optional dependency @napi-rs/nice. A core that runs
 * only idle-policy work counts as free when the kernel places a woken task,
 * so the database connection or client that the event loop wakes on every
 * write goes there instead of preempting the event loop. Without `chrt`
 * (util-linux), nice 19 alone applies. TUNE_THREAD_PRIORITIES=false leaves
 * the thread at the service's priority.
 *
 * Plain JavaScript: worker threads load it without the TypeScript toolchain,
 * under Jest as well as from dist/.
 */
'use strict';

const { Algorithm, hashSync, verifySync } = require('@node-rs/argon2');
const { workerData } = require('piscina');
const { setOwnSchedulingPolicy } = require('../../platform/thread-scheduling');

// TUNE_THREAD_PRIORITIES; not Linux, or no chrt: nice 19 alone remains.
if (workerData?.lowerPriority) setOwnSchedulingPolicy('idle');

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

/** A malformed stored hash is a mismatch; anything else that fails is the caller's to report. */
function verify({ hash, password }) {
  try {
    return verifySync(hash, password);
  } catch {
    return false;
  }
}

module.exports = {
  hash: ({ password }) => hashSync(password, ARGON2_OPTIONS),
  verify,
};
