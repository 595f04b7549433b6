/**
 * Delivers the outbox, off every request's path: it claims due messages
 * (a lease, so that instances never take the same one), hands each to the
 * transport, deletes it once delivered, and retries a failure later and
 * later. A message written while the mail server was down, or before a
 * restart, is delivered once both are back.
 *
 * It runs when this instance has just written a message (`nudge`), when a
 * retry it scheduled is due, at boot, and once a minute for what other
 * instances left behind (a crash, an expired lease): an idle service makes
 * no query for it in between.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../config/app-config';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailTransport } from './mail-transport';

const POLL_INTERVAL_MS = 60_000;
const BATCH_SIZE = 10;
/** How long a claim lasts: longer than an SMTP delivery may take (see SmtpTransport). */
const LEASE_S = 300;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

@Injectable()
export class MailSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailSender.name);
  private readonly retryBaseMs: number;
  private timer?: NodeJS.Timeout;
  private readonly retries = new Set<NodeJS.Timeout>();
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly transport: MailTransport,
    config: ConfigService<AppConfig, true>,
  ) {
    this.retryBaseMs = config.get('mail', { infer: true }).retryBaseMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.nudge();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const retry of this.retries) clearTimeout(retry);
    await this.running;
    this.transport.close();
  }

  /** Deliver what is due now, rather than at the next poll; a delivery already running goes round again. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((error: Error) => this.logger.warn({ err: { message: error.message } }, 'Could not read the mail outbox; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves once no delivery round is running, including one a nudge queued meanwhile (tests wait on it). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private retryIn(delayMs: number): void {
    const retry = setTimeout(() => {
      this.retries.delete(retry);
      this.nudge();
    }, delayMs + 50);
    retry.unref();
    this.retries.add(retry);
  }

  /** Until nothing is due; resolves when this round is done. */
  async deliverDue(): Promise<void> {
    for (;;) {
      const claimed = await this.outbox.claim(BATCH_SIZE, LEASE_S);
      for (const message of claimed) {
        try {
          await this.transport.deliver({ id: message.id, to: message.recipient, subject: message.subject, text: message.text, html: message.html });
          await this.outbox.delivered(message.id);
        } catch (error) {
          const delayMs = Math.min(this.retryBaseMs * 2 ** (message.attempts - 1), MAX_RETRY_DELAY_MS);
          const reason = (error as Error).message ?? String(error);
          await this.outbox.failed(message.id, delayMs, reason);
          this.retryIn(delayMs);
          this.logger.warn({ attempts: message.attempts, retryInMs: delayMs, err: { message: reason } }, 'Could not deliver a message; will retry');
        }
      }
      if (claimed.length < BATCH_SIZE || this.stopped) return;
    }
  }
}
