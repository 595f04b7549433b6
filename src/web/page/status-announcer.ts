/**
 * The page's one polite live region: confirmations and errors that belong to no form
 * field. It is always in the DOM (a region that appears with its message is often not
 * announced), and shows as a toast while it holds text.
 */

const SHOWN_FOR_MS = 8000;

export type StatusTone = 'success' | 'error';

export class StatusAnnouncer {
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly region: HTMLElement) {}

  announce(message: string, tone: StatusTone = 'success'): void {
    clearTimeout(this.clearTimer);
    // Emptied first so that the same message twice in a row is announced twice.
    this.region.textContent = '';
    requestAnimationFrame(() => {
      this.region.dataset.tone = tone;
      this.region.textContent = message;
      this.clearTimer = setTimeout(() => this.clear(), SHOWN_FOR_MS);
    });
  }

  clear(): void {
    clearTimeout(this.clearTimer);
    this.region.textContent = '';
  }
}
