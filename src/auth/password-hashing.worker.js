/**
 * argon2id, run by PasswordsService in a Piscina worker thread with a lower
 * CPU priority. argon2 is the one CPU-heavy thing the service does; in a
 * thread of its own, at a lower priority, a burst of logins takes only the
 * CPU that request handling leaves. The calls are synchronous because this
 * thread does nothing else (libuv's pool is shared with the event loop's I/O
 * and cannot be given a lower priority).
 *
 * Plain JavaScript: worker threads load it without the TypeScript toolchain,
 * under Jest as well as from dist/.
 */
'use strict';

const { Algorithm, hashSync, verifySync } = require('@node-rs/argon2');

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

module.exports = {
  hash: ({ password }) => hashSync(password, ARGON2_OPTIONS),
  verify: ({ hash, password }) => verifySync(hash, password),
};
