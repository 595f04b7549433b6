/**
 * Settings → Security activity: the account's audit log in words people read
 * ("API key “CI Pipeline” revoked, from 203.0.113.7, Chrome on Linux, 2 minutes
 * ago"), newest first, with Load more.
 */
import { ApiError, AuditEvent } from './api-client.js';
import { elementById } from './element-by-id.js';
import { timeAgoElement } from './relative-time.js';
import { SessionEndedError, SessionStore } from './session-store.js';
import { describeDevice } from './sessions-panel.js';
import { StatusAnnouncer } from './status-announcer.js';

const PAGE_SIZE = 20;

/** What happened, given the name of the key it was about, when it was about one. */
const WHAT: Record<string, (keyName: string) => string> = {
  'user.signed_up': () => 'Account created',
  'user.login_succeeded': () => 'Signed in with the password',
  'user.login_failed': () => 'Failed sign-in: wrong password',
  'session.ended': () => 'Session signed out',
  'session.refresh_reuse_detected': () => 'Session ended: a used refresh token came back, so it may have been stolen',
  'api_key.created': (name) => `API key ${name} created`,
  'api_key.renamed': (name) => `API key ${name} renamed`,
  'api_key.revoked': (name) => `API key ${name} revoked`,
  // The subject is the old key; the new one has its own "created" event next to it.
  'api_key.rolled': (name) => `API key ${name} rolled`,
  'api_key.reported_leaked': (name) => `API key ${name} revoked: reported as leaked`,
  'password.changed': () => 'Password changed',
  'password.reset_requested': () => 'Password reset link requested',
  'password.reset_completed': () => 'Password reset by the emailed link',
  'email.verified': () => 'Email verified',
};

/** Events worth a second look: someone else may have had a secret. */
const WARNINGS = new Set(['user.login_failed', 'session.refresh_reuse_detected', 'api_key.reported_leaked']);

export class ActivityPanel {
  private nextCursor: string | null = null;
  private readonly list = elementById('activity-list', HTMLOListElement);
  private readonly emptyState = elementById('activity-empty', HTMLParagraphElement);
  private readonly loadMoreRow = elementById('activity-more-row', HTMLDivElement);
  private readonly loadMoreButton = elementById('activity-more', HTMLButtonElement);

  constructor(
    private readonly session: SessionStore,
    private readonly status: StatusAnnouncer,
    /** The name of one of the user's keys, for the sentences; undefined for a key it does not know. */
    private readonly keyName: (id: string) => string | undefined,
  ) {
    this.loadMoreButton.addEventListener('click', () => void this.loadMore());
  }

  /** The newest page, from the top. */
  async load(): Promise<void> {
    await this.fetch(undefined);
  }

  reset(): void {
    this.list.replaceChildren();
    this.nextCursor = null;
    this.loadMoreRow.hidden = true;
  }

  private async loadMore(): Promise<void> {
    if (this.nextCursor) await this.fetch(this.nextCursor);
  }

  private async fetch(cursor: string | undefined): Promise<void> {
    this.loadMoreButton.disabled = true;
    try {
      const query = `?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await this.session.request<{ events: AuditEvent[]; next_cursor: string | null }>('GET', `/v1/audit-events${query}`);
      const items = page.events.map((event) => this.renderItem(event));
      if (cursor) this.list.append(...items);
      else this.list.replaceChildren(...items);
      this.nextCursor = page.next_cursor;
      this.loadMoreRow.hidden = page.next_cursor === null;
      this.emptyState.hidden = this.list.childElementCount > 0;
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
      this.status.announce(`Your security activity could not be loaded: ${reason}`, 'error');
    } finally {
      this.loadMoreButton.disabled = false;
    }
  }

  private renderItem(event: AuditEvent): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'activity-item';
    item.dataset.eventType = event.type;
    if (WARNINGS.has(event.type)) item.classList.add('is-warning');

    const what = document.createElement('span');
    what.className = 'activity-what';
    what.textContent = this.describe(event);

    const where = document.createElement('span');
    where.className = 'activity-where';
    const from = [event.ip ?? 'an unknown address', describeDevice(event.user_agent)].join(', ');
    where.append(`from ${from}, `, timeAgoElement(event.created_at));

    item.append(what, ' ', where);
    return item;
  }

  private describe(event: AuditEvent): string {
    const keyId = event.subject.api_key_id;
    const name = keyId ? this.quoted(keyId) : '';
    const sentence = WHAT[event.type]?.(name) ?? event.type;
    const by = event.actor.method === 'api_key' && event.actor.api_key_id ? `, with API key ${this.quoted(event.actor.api_key_id)}` : '';
    return `${sentence}${by}`;
  }

  private quoted(keyId: string): string {
    const name = this.keyName(keyId);
    return name === undefined ? '(deleted)' : `“${name}”`;
  }
}
