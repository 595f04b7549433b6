/**
 * The Expires choice of Generate New Key: never (the default, as it is the API's), or a
 * number of days. The API takes a date, so the page counts it from the moment it sends.
 */
import { formatDateTime } from './relative-time.js';

const DAY_MS = 24 * 3600 * 1000;

export class ExpiryChoice {
  constructor(
    readonly select: HTMLSelectElement,
    private readonly hint: HTMLElement,
  ) {
    select.addEventListener('change', () => this.describe());
  }

  /** For a form just reset: says what the default means. */
  prepare(): void {
    this.describe();
  }

  /** The `expires_at` to send; undefined for never, which is what the API does without one. */
  expiresAt(nowMs: number = Date.now()): string | undefined {
    if (this.select.value === '') return undefined;
    return new Date(nowMs + Number(this.select.value) * DAY_MS).toISOString();
  }

  private describe(): void {
    const expiresAt = this.expiresAt();
    this.hint.textContent = expiresAt
      ? `It stops working on ${formatDateTime(expiresAt)}.`
      : 'It works until you revoke it.';
  }
}
