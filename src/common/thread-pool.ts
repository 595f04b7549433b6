import { randomFill } from 'node:crypto';

/**
 * libuv starts its thread pool (asynchronous fs, dns, crypto and zlib work)
 * on first use, and on Linux a thread inherits the priority of the thread
 * that creates it. A thread that lowers its own priority (password hashing,
 * the embedded database) and happens to use the pool first would leave every
 * pool thread at its priority. Called on the main thread before such a thread
 * starts: submitting one piece of work creates the whole pool at once, here.
 */
export function startThreadPoolAtFullPriority(): void {
  randomFill(new Uint8Array(1), () => undefined);
}
