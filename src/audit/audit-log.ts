/**
 * The audit log's one small API. A change records its events with `record`,
 * inside the transaction that makes the change: no change without its event,
 * no event without its change. Any module may record its own event types
 * (`defineAuditEventTypes`). A failed sign-in, which changes nothing, is
 * recorded with `recordSoon`: in its own statement, off the response's path.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { Transaction } from '../database/transactions';
import { AuditActor } from './audit-actor';
import { AuditEvent } from './audit-event.entity';
import { AuditEventType, isDefinedAuditEventType } from './audit-event-types';
import { AuditEventsRepository, NewAuditEvent, PagePosition } from './audit-events.repository';

export interface AuditEventInput {
  type: AuditEventType;
  /** Whose account it belongs to. */
  userId: string;
  actor: AuditActor;
  subject?: { apiKeyId?: string; sessionId?: string };
}

export interface AuditPage {
  events: AuditEvent[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** How often events recorded "soon" are written, and how many may wait before a caller waits for the write. */
const FLUSH_INTERVAL_MS = 200;
const MAX_WAITING = 10_000;

const badCursor = () =>
  new ApiException('validation_failed', 'cursor is not one this service gave', {
    details: [{ field: 'cursor', message: 'cursor must be a next_cursor from an earlier page' }],
  });

@Injectable()
export class AuditLog implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditLog.name);
  private waiting: NewAuditEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Records the events in `tx`: they exist exactly if it commits. */
  record(tx: Transaction, ...events: AuditEventInput[]): Promise<void> {
    return this.events.insert(events.map((event) => this.row(event)), tx);
  }

  /**
   * Records an event that no change goes with, off the caller's path: it is
   * written within a fraction of a second, retried until it is, and at
   * shutdown. Past MAX_WAITING unwritten events the caller waits for the
   * write rather than the queue growing without bound.
   */
  async recordSoon(event: AuditEventInput): Promise<void> {
    this.waiting.push(this.row(event));
    if (this.waiting.length >= MAX_WAITING) await this.flush();
  }

  /** Writes what waits; safe to call at any time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeWaiting());
    return this.writing;
  }

  /** A user's events, newest first, `limit` at a time; the cursor stays valid while new events arrive. */
  async page(userId: string, cursor: string | undefined, limit: number): Promise<AuditPage> {
    const events = await this.events.pageOf(userId, cursor === undefined ? undefined : decodeCursor(cursor), limit + 1);
    const more = events.length > limit;
    const page = more ? events.slice(0, limit) : events;
    return { events: page, nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
  }

  private row({ type, userId, actor, subject }: AuditEventInput): NewAuditEvent {
    if (!isDefinedAuditEventType(type)) throw new Error(`Audit event type ${type} is not defined: declare it with defineAuditEventTypes`);
    return {
      type,
      userId,
      createdAt: this.clock.now(),
      actorMethod: actor.method,
      actorSessionId: actor.sessionId ?? null,
      actorApiKeyId: actor.apiKeyId ?? null,
      subjectSessionId: subject?.sessionId ?? null,
      subjectApiKeyId: subject?.apiKeyId ?? null,
      ip: actor.client.ip,
      userAgent: actor.client.userAgent,
    };
  }

  private async writeWaiting(): Promise<void> {
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.events.insert(batch);
    } catch (error) {
      this.waiting = [...batch, ...this.waiting];
      this.logger.warn({ err: { message: (error as Error).message }, events: batch.length }, 'Could not write audit events; will retry');
    }
  }
}

/** Opaque to clients: where the last event of a page stands (its time, and its place among events of that time). */
function encodeCursor(event: AuditEvent): string {
  return Buffer.from(`${event.createdAt.getTime()}:${event.seq}`).toString('base64url');
}

function decodeCursor(cursor: string): PagePosition {
  const [, ms, seq] = /^([0-9]{1,15}):([1-9][0-9]{0,17})$/.exec(Buffer.from(cursor, 'base64url').toString()) ?? [];
  if (ms === undefined || seq === undefined) throw badCursor();
  return { createdAt: new Date(Number(ms)), seq };
}
