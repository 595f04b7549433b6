/**
 * Tells every instance of the service that a credential changed, so that
 * their in-process verification caches can forget it.
 *
 * On a PostgreSQL server the event is a NOTIFY issued inside the transaction
 * that revokes the credential: PostgreSQL delivers it exactly when that
 * transaction commits, and never if it rolls back. Each instance LISTENs on a
 * dedicated connection. While that connection is down the bus is not
 * "trusted": caches then answer nothing from memory and every verification
 * goes to the database, until the listener has reconnected and the caches
 * have been emptied (a notification lost meanwhile cannot leave a revoked
 * credential cached). The embedded database serves a single process, so
 * there the event is only delivered in-process.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

export type CredentialEvent =
  | { kind: 'api_key_changed'; keyHash: string }
  | { kind: 'sessions_revoked'; sessionIds: string[] };

export interface CredentialCacheSubscriber {
  /** Forget what the event makes stale. */
  apply(event: CredentialEvent): void;
  /** Forget everything: events may have been missed. */
  clear(): void;
}

const CHANNEL = 'magpipe_credentials';

interface Notification {
  origin: string;
  event: CredentialEvent;
}
export const LISTENER_APPLICATION_NAME = 'magpipe-auth-listener';
/** NOTIFY payloads are limited to 8000 bytes; session ids are 36 characters. */
const SESSION_IDS_PER_EVENT = 150;
const MAX_RECONNECT_DELAY_MS = 5000;
const HEARTBEAT_INTERVAL_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 3000;

@Injectable()
export class InvalidationBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationBus.name);
  private readonly subscribers = new Set<CredentialCacheSubscriber>();
  private readonly serverUrl?: string;
  private listener?: Client;
  private trusted: boolean;
  private reconnectDelayMs = 100;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  /** Marks this instance's notifications, which it has already applied when it sent them. */
  private readonly origin = randomUUID();

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const database = config.get('database', { infer: true });
    this.serverUrl = database.kind === 'server' ? database.url : undefined;
    this.trusted = this.serverUrl === undefined;
  }

  /** Whether caches may answer from memory right now. */
  get isTrusted(): boolean {
    return this.trusted;
  }

  subscribe(subscriber: CredentialCacheSubscriber): void {
    this.subscribers.add(subscriber);
  }

  /**
   * Runs `work` in a transaction. The events it emits are sent with NOTIFY in
   * that transaction (so other instances hear of them exactly when it
   * commits) and delivered to this instance right after the commit.
   */
  async transactionWithEvents<T>(
    work: (manager: EntityManager, emit: (event: CredentialEvent) => void) => Promise<T>,
  ): Promise<T> {
    const events: CredentialEvent[] = [];
    try {
      return await this.dataSource.transaction(async (manager) => {
        const value = await work(manager, (event) => events.push(event));
        if (this.serverUrl) {
          for (const event of splitForNotify(events)) {
            const message: Notification = { origin: this.origin, event };
            await manager.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
          }
        }
        return value;
      });
    } finally {
      // Also when the commit seemed to fail: it may have succeeded on the server, and an
      // eviction that was not needed costs one database read.
      this.deliver(events);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.serverUrl) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.serverUrl,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
    });
    client.on('notification', (message) => this.receive(message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'Cannot listen for credential events');
      this.lost(client);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Listening before clearing: anything revoked from here on is either notified or read fresh.
    for (const subscriber of this.subscribers) subscriber.clear();
    this.trusted = true;
    this.reconnectDelayMs = 100;
    this.heartbeat = setInterval(() => void this.checkListener(client), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /**
   * A connection that a firewall or NAT dropped silently raises no error and
   * just stops delivering; a round trip that fails or times out reveals it.
   */
  private async checkListener(client: Client): Promise<void> {
    try {
      await client.query('SELECT 1');
    } catch {
      this.lost(client);
    }
  }

  private lost(client: Client): void {
    if (this.listener && this.listener !== client) return;
    const wasTrusted = this.trusted;
    this.trusted = false;
    this.listener = undefined;
    clearInterval(this.heartbeat);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.stopped || this.reconnectTimer) return;
    if (wasTrusted) this.logger.warn('Lost the credential-event listener; verifying from the database until it is back');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen();
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
  }

  private receive(payload: string | undefined): void {
    let message: Partial<Notification> | null = null;
    try {
      message = JSON.parse(payload ?? '') as Partial<Notification> | null;
    } catch {
      // handled below
    }
    if (!message || typeof message !== 'object' || !message.event) {
      // Unreadable: forget everything rather than risk keeping something stale.
      for (const subscriber of this.subscribers) subscriber.clear();
      return;
    }
    if (message.origin !== this.origin) this.deliver([message.event]);
  }

  private deliver(events: CredentialEvent[]): void {
    for (const event of events) for (const subscriber of this.subscribers) subscriber.apply(event);
  }
}

function splitForNotify(events: CredentialEvent[]): CredentialEvent[] {
  return events.flatMap((event) => {
    if (event.kind !== 'sessions_revoked' || event.sessionIds.length <= SESSION_IDS_PER_EVENT) return [event];
    const chunks: CredentialEvent[] = [];
    for (let i = 0; i < event.sessionIds.length; i += SESSION_IDS_PER_EVENT) {
      chunks.push({ kind: 'sessions_revoked', sessionIds: event.sessionIds.slice(i, i + SESSION_IDS_PER_EVENT) });
    }
    return chunks;
  });
}
