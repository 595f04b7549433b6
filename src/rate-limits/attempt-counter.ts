/** How many attempts a key has had in its current window, and when the window ends. */
export interface AttemptCount {
  count: number;
  resetInMs: number;
}

/**
 * Fixed-window counters of attempts, by key: every rate limit of the service
 * counts through one of these. The window starts with a key's first attempt.
 */
export abstract class AttemptCounter {
  /** Counts one attempt for `key` and says how many its window holds now. */
  abstract increment(key: string, windowMs: number): Promise<AttemptCount>;
  /** How many attempts `key`'s window holds, without counting one. */
  abstract peek(key: string): Promise<AttemptCount>;
}

/** Sweep expired windows this often, so that keys nobody uses again do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/** Counters in this process's memory: each instance counts on its own. */
export class MemoryAttemptCounter extends AttemptCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    super();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  increment(key: string, windowMs: number): Promise<AttemptCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
  }

  peek(key: string): Promise<AttemptCount> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return Promise.resolve({ count: 0, resetInMs: 0 });
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
