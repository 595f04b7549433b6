/**
 * Prometheus metrics (`METRICS_PORT`), on a port of their own so that they
 * are never served to the API's callers. On the request path they cost a
 * counter increment or two; everything else (caches, the login queue, the
 * pool, the outbox, the listener) is read when Prometheus scrapes.
 *
 * Labels are route templates, methods, statuses and error codes: never a
 * raw path, an address, an email or anything a caller sent.
 */
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createServer, Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PasswordsService } from '../auth/passwords/passwords.service';
import { AppConfig } from '../config/app-config';
import { CacheStats } from '../credentials/coherent-cache';
import { credentialFailures } from '../credentials/credential-errors';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { Principal } from '../credentials/principal';
import { RouteAccess } from '../credentials/route-access';
import { DatabaseNotifications } from '../database/notifications';
import { MailOutboxRepository } from '../mail/mail-outbox.repository';

/** What the request path leaves on a request for the metrics to read. */
type ObservedRequest = FastifyRequest & { user?: Principal | null; routeAccess?: RouteAccess | null; errorCode?: string | null };

/** Refusals that are about the credential, by code: the authentication outcomes besides success. */
const AUTH_REFUSALS = new Set<string>(['session_required', 'insufficient_scope']);

interface PoolLike {
  totalCount?: number;
  idleCount?: number;
  waitingCount?: number;
}

/** A count the request path increments; scraping reports what it has gained since the last scrape. */
interface Cell {
  count: number;
  reported: number;
  labels: Record<string, string>;
}

const cell = (labels: Record<string, string>): Cell => ({ count: 0, reported: 0, labels });

/** Adds each cell's gain since the last scrape to `counter`. */
function report(counter: Counter<string>, cells: Iterable<Cell>): void {
  for (const counted of cells) {
    if (counted.count === counted.reported) continue;
    counter.inc(counted.labels, counted.count - counted.reported);
    counted.reported = counted.count;
  }
}

@Injectable()
export class Metrics implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly logger = new Logger(Metrics.name);
  /**
   * The request path only increments plain numbers, found by route, then
   * status and method: prom-client's labelled increment hashes its labels on
   * every call, which measured 6% of a cached route's throughput.
   */
  private readonly requestCells = new Map<string, Map<string, Cell>>();
  private readonly authCells = new Map<string, Cell>();
  private readonly sessionOk = cell({ method: 'session', outcome: 'ok' });
  private readonly apiKeyOk = cell({ method: 'api_key', outcome: 'ok' });
  private server?: Server;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly modules: ModuleRef,
  ) {
    const registers = [this.registry];
    // Without METRICS_PORT nothing is collected: Node's own collectors (the event-loop monitor, say) stay off.
    if (config.get('metrics', { infer: true }).port === undefined) return;
    collectDefaultMetrics({ register: this.registry, prefix: 'magpipe_' });
    const requestCells = () => [...this.requestCells.values()].flatMap((byStatus) => [...byStatus.values()]);
    const authCells = () => [this.sessionOk, this.apiKeyOk, ...this.authCells.values()];
    new Counter({
      name: 'magpipe_http_requests_total',
      help: 'Requests answered, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
      collect() {
        report(this, requestCells());
      },
    });
    new Counter({
      name: 'magpipe_authentications_total',
      help: 'Authentication outcomes on protected routes: by credential method, "ok" or the error code',
      labelNames: ['method', 'outcome'],
      registers,
      collect() {
        report(this, authCells());
      },
    });
    for (const code of credentialFailures()) AUTH_REFUSALS.add(code);
    this.definePulledMetrics(registers);
  }

  /** The `onResponse` hook: one request counted, and its authentication outcome if the route is protected. */
  readonly onResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const observed = request as ObservedRequest;
    const route = request.routeOptions.url ?? '(unmatched)';
    let byStatus = this.requestCells.get(route);
    if (!byStatus) this.requestCells.set(route, (byStatus = new Map<string, Cell>()));
    const status = reply.statusCode;
    // A string of the status and the method: V8 keeps the few distinct ones, and the lookup is by hash.
    const key = request.method + status;
    let counted = byStatus.get(key);
    if (!counted) byStatus.set(key, (counted = cell({ route, method: request.method, status: String(status) })));
    counted.count++;
    const policy = observed.routeAccess?.policy;
    if (policy && policy !== 'public') this.countAuthentication(observed);
    done();
  };

  async onApplicationBootstrap(): Promise<void> {
    const { port } = this.config.get('metrics', { infer: true });
    if (port === undefined) return;
    const { host } = this.config.get('http', { infer: true });
    this.server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: Error) => {
          this.logger.warn({ err: { message: error.message } }, 'Could not collect the metrics');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Could not collect the metrics\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    this.logger.log({ port, host }, 'Metrics at /metrics');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }

  private countAuthentication(request: ObservedRequest): void {
    const user = request.user;
    if (user) {
      (user.method === 'session' ? this.sessionOk : this.apiKeyOk).count++;
      return;
    }
    const code = request.errorCode;
    if (!code || !AUTH_REFUSALS.has(code)) return;
    const header = request.headers.authorization;
    const method = header === undefined ? 'none' : /^\s*bearer\s+mgp_/i.test(header) ? 'api_key' : 'session';
    const key = `${method} ${code}`;
    let counted = this.authCells.get(key);
    if (!counted) this.authCells.set(key, (counted = cell({ method, outcome: code })));
    counted.count++;
  }

  /** Read at scrape time, from what each part already keeps. */
  private definePulledMetrics(registers: Registry[]): void {
    const find = <T>(token: string | symbol | Type): T | undefined => {
      try {
        return this.modules.get<unknown, T>(token, { strict: false });
      } catch {
        return undefined;
      }
    };
    const caches = () => (find<InvalidationBus>(InvalidationBus)?.allSubscribers() ?? []).filter((s): s is CacheStats & typeof s => 'hits' in s);
    new Gauge({
      name: 'magpipe_credential_cache_hits',
      help: 'Lookups a credential cache answered from memory, since start, by cache',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const cache of caches()) this.set({ cache: cache.kind }, cache.hits);
      },
    });
    new Gauge({
      name: 'magpipe_credential_cache_misses',
      help: 'Lookups a credential cache sent to the database, since start, by cache',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const cache of caches()) this.set({ cache: cache.kind }, cache.misses);
      },
    });
    new Gauge({
      name: 'magpipe_credential_cache_entries',
      help: 'Entries held, by cache',
      labelNames: ['cache'],
      registers,
      collect() {
        for (const cache of caches()) this.set({ cache: cache.kind }, cache.size);
      },
    });
    const queue = () => find<PasswordsService>(PasswordsService)?.queue;
    new Gauge({
      name: 'magpipe_login_queue_length',
      help: 'Sign-ins and sign-ups waiting for a password-hashing thread',
      registers,
      collect() {
        this.set(queue()?.length ?? 0);
      },
    });
    new Gauge({
      name: 'magpipe_login_queue_waits',
      help: 'Password hashings that had to wait for a thread, since start',
      registers,
      collect() {
        this.set(queue()?.waits ?? 0);
      },
    });
    new Gauge({
      name: 'magpipe_login_queue_wait_seconds',
      help: 'Time password hashings spent waiting for a thread, in all, since start',
      registers,
      collect() {
        this.set((queue()?.waitedMs ?? 0) / 1000);
      },
    });
    const pool = () => (find<DataSource>(DataSource)?.driver as unknown as { master?: PoolLike } | undefined)?.master;
    new Gauge({
      name: 'magpipe_db_pool_connections',
      help: 'Database pool connections, by state (the embedded database has one)',
      labelNames: ['state'],
      registers,
      collect() {
        const master = pool();
        const total = typeof master?.totalCount === 'number' ? master.totalCount : 1;
        const idle = typeof master?.idleCount === 'number' ? master.idleCount : 0;
        this.set({ state: 'total' }, total);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'waiting' }, typeof master?.waitingCount === 'number' ? master.waitingCount : 0);
      },
    });
    new Gauge({
      name: 'magpipe_mail_outbox_backlog',
      help: 'Messages in the outbox not yet delivered',
      registers,
      async collect() {
        const outbox = find<MailOutboxRepository>(MailOutboxRepository);
        if (outbox) this.set(await outbox.backlog().catch(() => -1));
      },
    });
    new Gauge({
      name: 'magpipe_revocation_listener_up',
      help: '1 while the connection that hears revocations from other instances is listening',
      registers,
      collect() {
        this.set(find<DatabaseNotifications>(DatabaseNotifications)?.isListening ? 1 : 0);
      },
    });
  }
}
