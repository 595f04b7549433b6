/**
 * An in-process cache that stays coherent with the database: it answers from
 * memory only while the invalidation bus is trusted, and it never stores a
 * value read before an invalidation that arrived while the read was in
 * flight (the read might predate the change).
 */
import { LRUCache } from 'lru-cache';
import { InvalidationBus, InvalidationSubscriber } from './invalidation-bus';
import { MaybePromise } from './maybe-promise';

const ABSENT = Symbol('absent');
/** Entries live up to this much past their time to live; reading the clock less often is cheaper under load. */
const TTL_RESOLUTION_MS = 100;

export interface CoherentCacheOptions {
  /** The invalidation events, by kind, whose keys are this cache's keys. */
  kind: string;
  max: number;
  /** How long a found value may be served from memory. */
  ttlMs: number;
  /** How long "not found" may be served from memory. */
  absentTtlMs: number;
}

/** What a cache has served, for the metrics: plain counters, an increment each. */
export interface CacheStats {
  kind: string;
  hits: number;
  misses: number;
  size: number;
}

export class CoherentCache<V extends object> implements InvalidationSubscriber, CacheStats {
  hits = 0;
  misses = 0;
  private readonly entries: LRUCache<string, V | typeof ABSENT>;
  /** Bumped by every invalidation; a load that saw it change does not store its result. */
  private generation = 0;

  constructor(
    private readonly bus: InvalidationBus,
    private readonly options: CoherentCacheOptions,
  ) {
    this.entries = new LRUCache<string, V | typeof ABSENT>({ max: options.max, ttl: options.ttlMs, ttlResolution: TTL_RESOLUTION_MS });
    bus.subscribe(options.kind, this);
  }

  /** The cached value, synchronously; or, when memory cannot answer, what `load` finds (cached when safe). */
  get(key: string, load: (key: string) => Promise<V | null>): MaybePromise<V | null> {
    if (this.bus.isTrusted) {
      const cached = this.entries.get(key);
      if (cached !== undefined) {
        this.hits++;
        return cached === ABSENT ? null : cached;
      }
    }
    this.misses++;
    return this.load(key, load);
  }

  private async load(key: string, load: (key: string) => Promise<V | null>): Promise<V | null> {
    const generation = this.generation;
    const value = await load(key);
    if (this.bus.isTrusted && generation === this.generation) {
      if (value) this.entries.set(key, value);
      else this.entries.set(key, ABSENT, { ttl: this.options.absentTtlMs });
    }
    return value;
  }

  forget(keys: readonly string[]): void {
    this.generation++;
    for (const key of keys) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get kind(): string {
    return this.options.kind;
  }

  get size(): number {
    return this.entries.size;
  }
}
