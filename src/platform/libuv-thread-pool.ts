import { randomFill } from 'node:crypto';

/**
 * libuv starts its thread pool (asynchronous fs, dns, crypto and zlib work)
 * on first use, and on Linux a thread inherits the priority of the thread
 * that creates it. A lowered thread (password hashing, the embedded
 * database) that happened to use the pool first would leave every pool
 * thread at its priority. Submitting one piece of work from the main thread
 * creates the whole pool at once, here.
 */
export function startLibuvThreadPool(): void {
  randomFill(new Uint8Array(1), () => undefined);
}
