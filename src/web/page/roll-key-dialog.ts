/**
 * Roll: a new key with the same name and access replaces one, and the old key keeps
 * working for the overlap chosen (none: it ends now), so that the new key can be put in
 * place first. The new key is handed on at once to be shown; this dialog keeps no copy.
 */
import { ApiError, ApiKey, ApiKeyCreated } from './api-client.js';
import { elementById } from './element-by-id.js';
import { FormErrors } from './form-errors.js';
import { ModalDialog } from './modal-dialog.js';
import { describeTimeUntil } from './relative-time.js';
import { SessionEndedError, SessionStore } from './session-store.js';

/** Called once a roll succeeded, with when the old key stops working. */
export type RolledListener = (old: ApiKey, oldStopsAt: string, created: ApiKeyCreated) => void;

export class RollKeyDialog {
  private keyPendingRoll: ApiKey | null = null;
  private rolling = false;
  private readonly dialog: ModalDialog;
  private readonly form = elementById('roll-key-form', HTMLFormElement);
  private readonly name = elementById('roll-key-name', HTMLSpanElement);
  private readonly prefix = elementById('roll-key-prefix', HTMLElement);
  private readonly overlap = elementById('roll-key-overlap', HTMLSelectElement);
  private readonly overlapHint = elementById('roll-key-overlap-hint', HTMLParagraphElement);
  private readonly submit = elementById('roll-key-submit', HTMLButtonElement);
  private readonly errors = new FormErrors(elementById('roll-key-form-error', HTMLParagraphElement), {
    expires_in_s: this.overlap,
  });

  constructor(
    private readonly session: SessionStore,
    fallbackFocus: HTMLElement,
    private readonly rolled: RolledListener,
    /** Called when the key turned out revoked or expired meanwhile (another tab, the leak report). */
    private readonly foundInactive: () => void,
  ) {
    this.dialog = new ModalDialog(elementById('roll-key-dialog', HTMLDialogElement), fallbackFocus);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.rollPending();
    });
    this.dialog.onClose(() => {
      this.keyPendingRoll = null;
    });
  }

  open(key: ApiKey): void {
    this.keyPendingRoll = key;
    this.form.reset();
    this.errors.clear();
    this.name.textContent = key.name;
    this.prefix.textContent = `${key.key_prefix}...`;
    // The API never lengthens the old key's life, and gives the new one as long a life as the old had: say so.
    this.overlapHint.textContent = key.expires_at
      ? `The old key expires ${describeTimeUntil(key.expires_at)} anyway, and never works past that. ` +
        'The new one gets the same lifetime, counted from now.'
      : '';
    this.overlapHint.hidden = key.expires_at === null;
    if (key.expires_at) this.overlap.setAttribute('aria-describedby', this.overlapHint.id);
    else this.overlap.removeAttribute('aria-describedby');
    this.dialog.open();
  }

  close(): void {
    this.dialog.close();
  }

  private async rollPending(): Promise<void> {
    const key = this.keyPendingRoll;
    if (!key || this.rolling) return;
    this.rolling = true;
    this.submit.disabled = true;
    this.errors.clear();
    const overlapS = Number(this.overlap.value);
    try {
      const created = await this.session.request<ApiKeyCreated>('POST', `/v1/api-keys/${encodeURIComponent(key.id)}/roll`, {
        expires_in_s: overlapS,
      });
      this.dialog.close();
      this.rolled(key, oldKeyStopsAt(key, created, overlapS), created);
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      if (!(error instanceof ApiError)) throw error;
      this.errors.show(error.message, error.details);
      if (error.code === 'api_key_inactive') this.foundInactive();
    } finally {
      this.rolling = false;
      this.submit.disabled = false;
    }
  }
}

/**
 * As the API sets it: the overlap counted from the roll (the new key's creation, on the
 * server's clock), or the old expiry if that is sooner.
 */
function oldKeyStopsAt(old: ApiKey, created: ApiKey, overlapS: number): string {
  const afterOverlapMs = Date.parse(created.created_at) + overlapS * 1000;
  const stopsAtMs = old.expires_at ? Math.min(Date.parse(old.expires_at), afterOverlapMs) : afterOverlapMs;
  return new Date(stopsAtMs).toISOString();
}
