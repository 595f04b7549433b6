/**
 * PostgreSQL's LISTEN/NOTIFY, for telling the other instances of the service
 * that something changed. A NOTIFY issued inside a transaction is delivered
 * exactly when that transaction commits, and never if it rolls back.
 *
 * Each instance listens on a dedicated connection. While it is down the
 * listener is told (`lost`), and told again once it listens anew
 * (`listening`): what was notified meanwhile never arrives. A connection
 * that a firewall dropped silently is found by a periodic round trip.
 *
 * The embedded database serves one process: there is nobody to notify, and
 * nothing is ever missed.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { Transaction } from './transactions';

export interface NotificationListener {
  /** A notification arrived on the channel. */
  message(payload: string | undefined): void;
  /** Listening (again): anything notified before this may have been missed. */
  listening(): void;
  /** The listening connection is down: notifications are missed until `listening`. */
  lost(): void;
}

export const LISTENER_APPLICATION_NAME = 'magpipe-auth-listener';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7900;
const MAX_RECONNECT_DELAY_MS = 5000;
const HEARTBEAT_INTERVAL_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 3000;

@Injectable()
export class DatabaseNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly serverUrl?: string;
  private readonly listeners = new Map<string, NotificationListener>();
  private client?: Client;
  private listeningNow: boolean;
  private reconnectDelayMs = 100;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  constructor(config: ConfigService<AppConfig, true>) {
    const database = config.get('database', { infer: true });
    this.serverUrl = database.kind === 'server' ? database.url : undefined;
    this.listeningNow = this.serverUrl === undefined;
  }

  /** Whether other processes share the database, so that notifications must cross to them. */
  get crossProcess(): boolean {
    return this.serverUrl !== undefined;
  }

  /** Whether every notification sent from now on reaches this process. */
  get isListening(): boolean {
    return this.listeningNow;
  }

  /** Registers `listener` for `channel` (a plain identifier); listening starts when the app has booted. */
  listen(channel: string, listener: NotificationListener): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    if (this.listeners.has(channel)) throw new Error(`Channel ${channel} already has a listener`);
    this.listeners.set(channel, listener);
  }

  /** Sends `payload` on `channel` when `tx` commits. A no-op on the embedded database. */
  async notify(tx: Transaction, channel: string, payload: string): Promise<void> {
    if (!this.serverUrl) return;
    if (Buffer.byteLength(payload) > MAX_NOTIFY_PAYLOAD_BYTES) throw new Error('NOTIFY payload too large');
    await tx.manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.serverUrl && this.listeners.size > 0) await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.serverUrl,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
    });
    client.on('notification', ({ channel, payload }) => this.listeners.get(channel)?.message(payload));
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'Cannot listen for notifications');
      this.drop(client);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.listeningNow = true;
    this.reconnectDelayMs = 100;
    for (const listener of this.listeners.values()) listener.listening();
    this.heartbeat = setInterval(() => void this.check(client), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** A round trip that fails or times out reveals a connection that stopped delivering. */
  private async check(client: Client): Promise<void> {
    try {
      await client.query('SELECT 1');
    } catch {
      this.drop(client);
    }
  }

  private drop(client: Client): void {
    if (this.client && this.client !== client) return;
    const wasListening = this.listeningNow;
    this.listeningNow = false;
    this.client = undefined;
    clearInterval(this.heartbeat);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (wasListening) {
      for (const listener of this.listeners.values()) listener.lost();
    }
    if (this.stopped || this.reconnectTimer) return;
    if (wasListening) this.logger.warn('Lost the notification listener; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
  }
}
