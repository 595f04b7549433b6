/**
 * Settings → API keys: the table, Generate New Key (with its access and expiry), the
 * shown-once key, Roll, Rename and Revoke.
 *
 * The full key exists in exactly one place: the value of the read-only input in the
 * reveal dialog. It is taken apart from the create or roll response at once, no closure
 * or field keeps it (Copy reads the input), and closing the dialog empties the input.
 */
import { ApiError, ApiKey, ApiKeyCreated, FULL_ACCESS } from './api-client.js';
import { elementById } from './element-by-id.js';
import { ExpiryChoice } from './expiry-choice.js';
import { FormErrors } from './form-errors.js';
import { ModalDialog } from './modal-dialog.js';
import { dateElement, describeTimeUntil, expiryElement, formatDateTime, timeAgoElement } from './relative-time.js';
import { RollKeyDialog } from './roll-key-dialog.js';
import { ScopePicker } from './scope-picker.js';
import { SessionEndedError, SessionStore } from './session-store.js';
import { StatusAnnouncer } from './status-announcer.js';

/** API.md: at most 10 active keys per user. The server enforces it; the page explains it up front. */
export const ACTIVE_KEY_LIMIT = 10;

const LIMIT_NOTE =
  `You have ${ACTIVE_KEY_LIMIT} active keys, the most allowed. ` + 'Revoke a key you no longer use to generate a new one.';

/** setTimeout's longest delay (about 24 days); an expiry further off is re-checked by the next render. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Where a key stands now; a revoked key says why. */
type KeyState = 'active' | 'expired' | 'revoked' | 'reported_leaked';

const STATE_BADGES: Record<KeyState, { text: string; tone: string }> = {
  active: { text: 'Active', tone: 'badge-active' },
  expired: { text: 'Expired', tone: 'badge-revoked' },
  revoked: { text: 'Revoked', tone: 'badge-revoked' },
  reported_leaked: { text: 'Revoked', tone: 'badge-leaked' },
};

export class ApiKeysPanel {
  private keys: ApiKey[] = [];
  private keyPendingRevocation: ApiKey | null = null;
  private creating = false;
  /** Re-renders when the next key expires, so that its row says so without a reload. */
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly heading = elementById('keys-title', HTMLHeadingElement);
  private readonly tableWrapper = elementById('keys-table-wrapper', HTMLDivElement);
  private readonly tableBody = elementById('keys-body', HTMLTableSectionElement);
  private readonly emptyState = elementById('keys-empty', HTMLParagraphElement);
  private readonly countNote = elementById('keys-count', HTMLParagraphElement);
  private readonly limitNote = elementById('key-limit-note', HTMLParagraphElement);
  private readonly generateButton = elementById('generate-key', HTMLButtonElement);
  private readonly reloadButton = elementById('reload-keys', HTMLButtonElement);

  private readonly createDialog = new ModalDialog(elementById('create-key-dialog', HTMLDialogElement), this.heading);
  private readonly createForm = elementById('create-key-form', HTMLFormElement);
  private readonly createNameInput = elementById('create-key-name', HTMLInputElement);
  private readonly createSubmit = elementById('create-key-submit', HTMLButtonElement);
  private readonly expiry = new ExpiryChoice(
    elementById('create-key-expiry', HTMLSelectElement),
    elementById('create-key-expiry-hint', HTMLParagraphElement),
  );
  private readonly scopePicker: ScopePicker;
  private readonly createErrors = new FormErrors(elementById('create-key-form-error', HTMLParagraphElement), {
    name: this.createNameInput,
    expires_at: this.expiry.select,
  });

  private readonly revealDialog = new ModalDialog(elementById('reveal-key-dialog', HTMLDialogElement), this.heading);
  private readonly revealName = elementById('reveal-key-name', HTMLSpanElement);
  private readonly revealValue = elementById('reveal-key-value', HTMLInputElement);
  private readonly copyResult = elementById('copy-key-result', HTMLParagraphElement);
  private readonly revealOldKey = elementById('reveal-old-key', HTMLParagraphElement);

  private readonly rollDialog: RollKeyDialog;

  private readonly renameDialog = new ModalDialog(elementById('rename-key-dialog', HTMLDialogElement), this.heading);
  private readonly renameForm = elementById('rename-key-form', HTMLFormElement);
  private readonly renameNameInput = elementById('rename-key-name', HTMLInputElement);
  private readonly renameSubmit = elementById('rename-key-submit', HTMLButtonElement);
  private readonly renameErrors = new FormErrors(elementById('rename-key-form-error', HTMLParagraphElement), {
    name: this.renameNameInput,
  });
  private keyPendingRename: ApiKey | null = null;

  private readonly revokeDialog = new ModalDialog(elementById('revoke-key-dialog', HTMLDialogElement), this.heading);
  private readonly revokeName = elementById('revoke-key-name', HTMLSpanElement);
  private readonly revokePrefix = elementById('revoke-key-prefix', HTMLElement);
  private readonly revokeError = elementById('revoke-key-error', HTMLParagraphElement);
  private readonly confirmRevokeButton = elementById('confirm-revoke', HTMLButtonElement);

  constructor(
    private readonly session: SessionStore,
    private readonly status: StatusAnnouncer,
    /** Called after each change this panel makes (the security activity shows it). */
    private readonly changed: () => void = () => undefined,
  ) {
    this.scopePicker = new ScopePicker(session);
    this.rollDialog = new RollKeyDialog(
      session,
      this.heading,
      (old, oldStopsAt, created) => this.afterRoll(old, oldStopsAt, created),
      () => void this.load(),
    );
    this.generateButton.addEventListener('click', () => this.openCreateDialog());
    this.reloadButton.addEventListener('click', () => void this.load());
    this.createForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });
    elementById('copy-key', HTMLButtonElement).addEventListener('click', () => void this.copyKey());
    this.revealDialog.onClose(() => {
      this.revealValue.value = '';
      this.revealName.textContent = '';
      this.copyResult.textContent = '';
      this.revealOldKey.textContent = '';
      this.revealOldKey.hidden = true;
    });
    this.renameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.renamePending();
    });
    this.renameDialog.onClose(() => {
      this.keyPendingRename = null;
    });
    this.confirmRevokeButton.addEventListener('click', () => void this.revokePending());
    this.revokeDialog.onClose(() => {
      this.keyPendingRevocation = null;
    });
  }

  async load(): Promise<void> {
    this.reloadButton.disabled = true;
    try {
      this.keys = (await this.session.request<{ keys: ApiKey[] }>('GET', '/v1/api-keys')).keys;
      this.render();
    } catch (error) {
      this.report(error, 'Your API keys could not be loaded');
    } finally {
      this.reloadButton.disabled = false;
    }
  }

  /** The name of one of the user's keys, as last loaded. */
  nameOf(id: string): string | undefined {
    return this.keys.find((key) => key.id === id)?.name;
  }

  /** Forgets everything shown, for the next user of this tab. */
  reset(): void {
    this.createDialog.close();
    this.revealDialog.close();
    this.rollDialog.close();
    this.renameDialog.close();
    this.revokeDialog.close();
    clearTimeout(this.expiryTimer);
    this.keys = [];
    this.tableBody.replaceChildren();
    this.scopePicker.reset();
  }

  private render(): void {
    const nowMs = Date.now();
    const isActive = (key: ApiKey) => stateOf(key, nowMs) === 'active';
    // As the API lists them: active keys first, then newest first.
    this.keys.sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || Date.parse(b.created_at) - Date.parse(a.created_at));
    const names = this.keys.map((key) => key.name);
    const shared = new Set(names.filter((name, index) => names.indexOf(name) !== index));
    const labelOf = (key: ApiKey) => (shared.has(key.name) ? `${key.name} (${key.key_prefix}...)` : key.name);
    this.tableBody.replaceChildren(...this.keys.map((key) => this.renderRow(key, stateOf(key, nowMs), labelOf(key))));
    this.tableWrapper.hidden = this.keys.length === 0;
    this.emptyState.hidden = this.keys.length > 0;
    this.scheduleExpiryRender(nowMs);

    const activeCount = this.keys.filter(isActive).length;
    // A roll needs no free slot, so the old key can briefly make one more than the limit.
    this.countNote.textContent =
      activeCount > ACTIVE_KEY_LIMIT
        ? `${activeCount} active keys: more than ${ACTIVE_KEY_LIMIT} until the rolled ones expire`
        : `${activeCount} of ${ACTIVE_KEY_LIMIT} active keys`;
    this.countNote.hidden = this.keys.length === 0;

    const atLimit = activeCount >= ACTIVE_KEY_LIMIT;
    this.generateButton.disabled = atLimit;
    this.limitNote.textContent = atLimit ? LIMIT_NOTE : '';
    this.limitNote.hidden = !atLimit;
    if (atLimit) {
      this.generateButton.setAttribute('aria-describedby', this.limitNote.id);
      this.generateButton.title = LIMIT_NOTE;
    } else {
      this.generateButton.removeAttribute('aria-describedby');
      this.generateButton.removeAttribute('title');
    }
  }

  private scheduleExpiryRender(nowMs: number): void {
    clearTimeout(this.expiryTimer);
    const nextExpiryMs = Math.min(
      ...this.keys.filter((key) => stateOf(key, nowMs) === 'active' && key.expires_at).map((key) => Date.parse(key.expires_at!)),
    );
    const delayMs = nextExpiryMs - nowMs;
    if (delayMs <= LONGEST_TIMER_MS) this.expiryTimer = setTimeout(() => this.render(), delayMs + 100);
  }

  /** `label` names the key in its buttons: after a roll two keys share a name, and their prefixes tell them apart. */
  private renderRow(key: ApiKey, state: KeyState, label: string): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.keyId = key.id;
    if (state !== 'active') row.classList.add('is-revoked');

    // The prefix sits under the name, where it tells apart the two keys of a roll without a column of its own.
    const name = document.createElement('th');
    name.scope = 'row';
    name.className = 'cell-name';
    const nameText = document.createElement('span');
    nameText.className = 'key-name';
    nameText.textContent = key.name;
    const prefix = document.createElement('code');
    prefix.className = 'key-prefix';
    prefix.textContent = `${key.key_prefix}...`;
    name.append(nameText, ' ', prefix);

    const lastUsed = key.last_used_at ? timeAgoElement(key.last_used_at) : mutedText('Never');

    row.append(
      name,
      cell('cell-access', 'Access', accessElement(key.scopes)),
      cell('cell-created', 'Created', dateElement(key.created_at)),
      cell('cell-last-used', 'Last used', lastUsed),
      cell('cell-status', 'Status', statusElement(key, state)),
      cell(
        'cell-actions',
        '',
        ...(state === 'active'
          ? [
              rowButton('Roll', label, 'button-secondary', () => this.rollDialog.open(key)),
              rowButton('Rename', label, 'button-secondary', () => this.openRenameDialog(key)),
              rowButton('Revoke', label, 'button-danger-quiet', () => this.confirmRevoke(key)),
            ]
          : []),
      ),
    );
    return row;
  }

  private openRenameDialog(key: ApiKey): void {
    this.keyPendingRename = key;
    this.renameForm.reset();
    this.renameNameInput.value = key.name;
    this.renameErrors.clear();
    this.renameDialog.open();
    this.renameNameInput.select();
  }

  private async renamePending(): Promise<void> {
    const key = this.keyPendingRename;
    if (!key) return;
    this.renameSubmit.disabled = true;
    this.renameErrors.clear();
    try {
      const renamed = await this.session.request<ApiKey>('PATCH', `/v1/api-keys/${encodeURIComponent(key.id)}`, {
        name: this.renameNameInput.value,
      });
      this.keys = this.keys.map((existing) => (existing.id === renamed.id ? renamed : existing));
      this.render();
      this.renameDialog.close();
      this.status.announce(`“${key.name}” is now called “${renamed.name}”.`);
      this.changed();
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      if (!(error instanceof ApiError)) throw error;
      this.renameErrors.show(error.message, error.details);
    } finally {
      this.renameSubmit.disabled = false;
    }
  }

  private openCreateDialog(): void {
    this.createForm.reset();
    this.createErrors.clear();
    this.scopePicker.prepare();
    this.expiry.prepare();
    this.createDialog.open();
  }

  private async create(): Promise<void> {
    if (this.creating) return;
    this.createErrors.clear();
    const scopes = this.scopePicker.chosen();
    if (scopes === null) return;
    this.creating = true;
    this.createSubmit.disabled = true;
    try {
      // Without scopes or expires_at the API makes a full-access key that never expires.
      const { key, ...apiKey }: ApiKeyCreated = await this.session.request<ApiKeyCreated>('POST', '/v1/api-keys', {
        name: this.createNameInput.value,
        scopes,
        expires_at: this.expiry.expiresAt(),
      });
      this.keys = [apiKey, ...this.keys];
      this.render();
      this.createDialog.close();
      this.reveal(apiKey.name, key);
      this.changed();
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      if (!(error instanceof ApiError)) throw error;
      this.createErrors.show(error.message, error.details);
      // Keys made elsewhere (another tab, a script) filled the quota: show them.
      if (error.code === 'api_key_limit_reached') void this.load();
    } finally {
      this.creating = false;
      this.createSubmit.disabled = false;
    }
  }

  /** The old key is updated as the API did it; the list is then reloaded, to show the API's own word. */
  private afterRoll(old: ApiKey, oldStopsAt: string, { key, ...created }: ApiKeyCreated): void {
    const rolledOld: ApiKey = { ...old, expires_at: oldStopsAt, is_active: Date.parse(oldStopsAt) > Date.now() };
    this.keys = [created, ...this.keys.map((existing) => (existing.id === old.id ? rolledOld : existing))];
    this.render();
    this.reveal(created.name, key, describeOldKeyEnd(old, oldStopsAt));
    this.changed();
    void this.load();
  }

  private reveal(name: string, key: string, oldKeyNote = ''): void {
    this.revealName.textContent = name;
    this.revealValue.value = key;
    this.copyResult.textContent = '';
    this.revealOldKey.textContent = oldKeyNote;
    this.revealOldKey.hidden = oldKeyNote === '';
    this.revealDialog.open();
  }

  private async copyKey(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.revealValue.value);
      this.copyResult.textContent = 'Copied to the clipboard.';
    } catch {
      // No clipboard access (an insecure origin, a denied permission): leave the copying to the user.
      this.revealValue.focus();
      this.revealValue.select();
      this.copyResult.textContent = 'The key is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
    }
  }

  private confirmRevoke(key: ApiKey): void {
    this.keyPendingRevocation = key;
    this.revokeName.textContent = key.name;
    this.revokePrefix.textContent = `${key.key_prefix}...`;
    this.revokeError.textContent = '';
    this.revokeError.hidden = true;
    this.revokeDialog.open();
  }

  private async revokePending(): Promise<void> {
    const key = this.keyPendingRevocation;
    if (!key) return;
    this.confirmRevokeButton.disabled = true;
    try {
      const revoked = await this.session.request<ApiKey>('DELETE', `/v1/api-keys/${encodeURIComponent(key.id)}`);
      // Re-sorted, as the API lists them: the revoked key joins the revoked ones, below every active key.
      this.keys = this.keys.map((existing) => (existing.id === revoked.id ? revoked : existing));
      this.render();
      this.revokeDialog.close();
      this.status.announce(`“${revoked.name}” was revoked. Requests that use it are now refused.`);
      this.changed();
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      this.revokeError.textContent = error instanceof ApiError ? error.message : 'The key could not be revoked.';
      this.revokeError.hidden = false;
    } finally {
      this.confirmRevokeButton.disabled = false;
    }
  }

  private report(error: unknown, context: string): void {
    if (error instanceof SessionEndedError) return;
    const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
    this.status.announce(`${context}: ${reason}`, 'error');
  }
}

/** A cell; `label` names it where a narrow screen shows the row as a card. */
function cell(className: string, label: string, ...content: Node[]): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  if (label) td.dataset.label = label;
  td.append(...content);
  return td;
}

/** A row's button, named for assistive technology after the key it acts on ("Revoke CI pipeline"). */
function rowButton(action: string, keyName: string, tone: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `button ${tone} button-small`;
  const hiddenName = document.createElement('span');
  hiddenName.className = 'visually-hidden';
  hiddenName.textContent = ` ${keyName}`;
  button.append(action, hiddenName);
  button.addEventListener('click', onClick);
  return button;
}

function stateOf(key: ApiKey, nowMs: number): KeyState {
  if (key.revoked_reason === 'reported_leaked') return 'reported_leaked';
  if (key.revoked_reason || key.revoked_at) return 'revoked';
  // Past its expiry the key is refused even if the list was loaded before.
  if (!key.is_active || (key.expires_at && Date.parse(key.expires_at) <= nowMs)) return 'expired';
  return 'active';
}

/** "Full access", or the scope names, which wrap. */
function accessElement(scopes: string[]): HTMLElement {
  if (scopes.includes(FULL_ACCESS)) {
    const full = document.createElement('span');
    full.className = 'access-full';
    full.textContent = 'Full access';
    return full;
  }
  const list = document.createElement('ul');
  list.className = 'scope-list';
  for (const scope of scopes) {
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = scope;
    item.append(name);
    list.append(item);
  }
  return list;
}

function describeOldKeyEnd(old: ApiKey, stopsAt: string): string {
  const prefix = `${old.key_prefix}...`;
  if (Date.parse(stopsAt) <= Date.now()) return `The old key ${prefix} has stopped working: requests that use it are refused.`;
  return (
    `The old key ${prefix} stops working ${describeTimeUntil(stopsAt)}, on ${formatDateTime(stopsAt)}. ` +
    'Put the new key in place before then.'
  );
}

/**
 * The badge, and under it the expiry ("Never expires", "Expires in 3 days", "Expired 2
 * hours ago") or why the key was revoked. Once revoked, when it would have expired no longer matters.
 */
function statusElement(key: ApiKey, state: KeyState): HTMLDivElement {
  const status = document.createElement('div');
  status.className = 'key-status';
  status.append(...statusParts(key, state));
  return status;
}

function statusParts(key: ApiKey, state: KeyState): HTMLElement[] {
  const badge = document.createElement('span');
  badge.className = `badge ${STATE_BADGES[state].tone}`;
  badge.textContent = STATE_BADGES[state].text;
  if (key.revoked_at) badge.title = `Revoked ${formatDateTime(key.revoked_at)}`;

  if (state === 'revoked') return [badge];
  const detail = document.createElement('span');
  detail.className = 'status-detail';
  if (state === 'reported_leaked') {
    detail.classList.add('is-leaked');
    detail.textContent = 'Reported as leaked';
  } else if (key.expires_at) {
    detail.append(expiryElement(key.expires_at));
  } else if (state === 'active') {
    detail.textContent = 'Never expires';
  } else {
    return [badge];
  }
  return [badge, detail];
}

function mutedText(text: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'muted';
  span.textContent = text;
  return span;
}
