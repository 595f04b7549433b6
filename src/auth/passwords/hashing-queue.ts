/**
 * Hands password-hashing tasks to the thread pool in the order they came, at
 * most `concurrency` at a time, so that the pool itself never queues.
 *
 * Piscina's own queue is not first in, first out under a steady burst (it
 * puts a task it could not hand out at the back again), so some logins
 * reached their deadline while later ones went through.
 */
interface Waiting {
  start(): void;
  abandon(reason: Error): void;
}

export class HashingQueue {
  /** Tasks that had to wait for a turn, and how long they waited in all: for the metrics. */
  waits = 0;
  waitedMs = 0;
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private closed?: Error;

  constructor(
    private readonly concurrency: number,
    /** Tasks allowed to wait; beyond that, `run` refuses at once. */
    private readonly limit: number,
  ) {}

  /** Tasks waiting for their turn. */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` when its turn comes. Rejects without running it when the
   * queue is full, when `signal` aborts while it waits, or when the queue is
   * closed.
   */
  async run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.closed) throw this.closed;
    signal.throwIfAborted();
    if (this.running < this.concurrency) this.running++;
    else {
      const queuedAt = performance.now();
      await this.turn(signal);
      this.waits++;
      this.waitedMs += performance.now() - queuedAt;
    }
    try {
      return await task();
    } finally {
      this.passOn();
    }
  }

  /** Abandons every waiting task with `reason`, and refuses new ones with it. */
  close(reason: Error): void {
    this.closed = reason;
    for (const waiting of this.waiting.splice(0)) waiting.abandon(reason);
  }

  private turn(signal: AbortSignal): Promise<void> {
    if (this.waiting.length >= this.limit) return Promise.reject(new Error('The hashing queue is full'));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const place = this.waiting.indexOf(waiting);
        if (place !== -1) this.waiting.splice(place, 1);
        reject(signal.reason instanceof Error ? signal.reason : new Error('Gave up waiting for a hashing thread'));
      };
      const waiting: Waiting = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        abandon: (reason) => {
          signal.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiting);
    });
  }

  /** A finished task's place goes to the longest waiting one, if any. */
  private passOn(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running--;
  }
}
