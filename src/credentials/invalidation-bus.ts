/**
 * Tells every instance of the service that something it may hold in memory
 * changed, so that its caches forget it: a revoked key, an ended session, a
 * renamed user. Each feature registers its own event kinds when it
 * subscribes a cache; this bus names none.
 *
 * An event is published inside the transaction that makes the change: other
 * instances hear of it (PostgreSQL NOTIFY) exactly when it commits, and this
 * instance applies it right after. While the notification listener is down
 * the bus is not trusted: caches answer nothing from memory and every lookup
 * goes to the database, until the listener is back and every cache has been
 * emptied, so a notification missed meanwhile cannot leave anything stale.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MAX_NOTIFY_PAYLOAD_BYTES, DatabaseNotifications, NotificationListener } from '../database/notifications';
import { Transaction } from '../database/transactions';

/** `keys` of a cache registered under `kind` are stale. */
export interface InvalidationEvent {
  kind: string;
  keys: string[];
}

export interface InvalidationSubscriber {
  /** Forget these keys. */
  forget(keys: readonly string[]): void;
  /** Forget everything: events may have been missed. */
  clear(): void;
}

interface Notification {
  origin: string;
  event: InvalidationEvent;
}

const CHANNEL = 'magpipe_invalidations';
/** Room left in a NOTIFY payload for the envelope around the keys. */
const ENVELOPE_BYTES = 200;

@Injectable()
export class InvalidationBus implements NotificationListener {
  private readonly subscribers = new Map<string, InvalidationSubscriber[]>();
  private trusted: boolean;
  /** Marks this instance's notifications, which it applies itself when its transaction commits. */
  private readonly origin = randomUUID();

  constructor(private readonly notifications: DatabaseNotifications) {
    notifications.listen(CHANNEL, this);
    this.trusted = !notifications.crossProcess;
  }

  /** Whether caches may answer from memory right now. */
  get isTrusted(): boolean {
    return this.trusted;
  }

  /** Every subscriber, for the metrics. */
  allSubscribers(): InvalidationSubscriber[] {
    return [...this.subscribers.values()].flat();
  }

  /** `subscriber` hears of events of `kind`, and of every `clear`. */
  subscribe(kind: string, subscriber: InvalidationSubscriber): void {
    this.subscribers.set(kind, [...(this.subscribers.get(kind) ?? []), subscriber]);
  }

  /** Makes `keys` of `kind` stale on every instance once `tx` commits. */
  async publish(tx: Transaction, kind: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (!this.subscribers.has(kind)) throw new Error(`No cache subscribes to invalidation events of kind ${kind}`);
    for (const chunk of chunksForNotify(keys)) {
      const message: Notification = { origin: this.origin, event: { kind, keys: chunk } };
      await this.notifications.notify(tx, CHANNEL, JSON.stringify(message));
    }
    tx.afterCommit(() => this.deliver(kind, keys));
  }

  message(payload: string | undefined): void {
    let message: Partial<Notification> | null = null;
    try {
      message = JSON.parse(payload ?? '') as Partial<Notification> | null;
    } catch {
      // handled below
    }
    const event = message?.event;
    if (!event || typeof event.kind !== 'string' || !Array.isArray(event.keys) || !this.subscribers.has(event.kind)) {
      // Unreadable, or of a kind this instance does not know: forget everything rather than keep something stale.
      this.clearAll();
      return;
    }
    if (message!.origin !== this.origin) this.deliver(event.kind, event.keys);
  }

  listening(): void {
    // Listening before clearing: anything changed from here on is either notified or read fresh.
    this.clearAll();
    this.trusted = true;
  }

  lost(): void {
    this.trusted = false;
  }

  private deliver(kind: string, keys: readonly string[]): void {
    for (const subscriber of this.subscribers.get(kind) ?? []) subscriber.forget(keys);
  }

  private clearAll(): void {
    for (const subscribers of this.subscribers.values()) for (const subscriber of subscribers) subscriber.clear();
  }
}

/** Keys split so that each notification stays under PostgreSQL's payload limit. */
function chunksForNotify(keys: readonly string[]): string[][] {
  const chunks: string[][] = [[]];
  let bytes = ENVELOPE_BYTES;
  for (const key of keys) {
    const size = Buffer.byteLength(key) + 3;
    if (bytes + size > MAX_NOTIFY_PAYLOAD_BYTES && chunks.at(-1)!.length > 0) {
      chunks.push([]);
      bytes = ENVELOPE_BYTES;
    }
    chunks.at(-1)!.push(key);
    bytes += size;
  }
  return chunks;
}
