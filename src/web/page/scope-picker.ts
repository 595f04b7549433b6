/**
 * The Access choice of Generate New Key: full access (the default, as it is the API's),
 * or only the scopes ticked. The ticks come from `GET /v1/api-keys/scopes`: modules add
 * their own scopes, so the page never lists them itself.
 */
import { ApiError, Scope } from './api-client.js';
import { elementById } from './element-by-id.js';
import { SessionEndedError, SessionStore } from './session-store.js';

export class ScopePicker {
  /** Fetched once per sign-in, on the first Generate; forgotten after a failure, so the next one retries. */
  private catalogue: Promise<Scope[]> | null = null;
  private readonly fullAccess = elementById('create-key-access-full', HTMLInputElement);
  private readonly onlyChosen = elementById('create-key-access-chosen', HTMLInputElement);
  private readonly choices = elementById('create-key-scopes', HTMLFieldSetElement);
  private readonly list = elementById('create-key-scope-list', HTMLDivElement);
  private readonly loading = elementById('create-key-scopes-loading', HTMLParagraphElement);
  private readonly error = elementById('create-key-scopes-error', HTMLParagraphElement);

  constructor(private readonly session: SessionStore) {
    for (const radio of [this.fullAccess, this.onlyChosen]) radio.addEventListener('change', () => this.showChoices());
    this.list.addEventListener('change', () => this.clearError());
  }

  /** For a form just reset (full access, nothing ticked): shows that, and gets the scopes ready. */
  prepare(): void {
    this.clearError();
    this.showChoices();
    void this.loadCatalogue();
  }

  /**
   * The scopes to send: undefined for full access, which is what the API gives a key
   * sent without them; null when none is ticked, after saying so next to the ticks.
   */
  chosen(): string[] | undefined | null {
    if (!this.onlyChosen.checked) return undefined;
    const boxes = this.checkboxes();
    const ticked = boxes.filter((box) => box.checked).map((box) => box.value);
    if (ticked.length > 0) return ticked;
    this.showError(
      boxes.length > 0 ? 'Choose at least one scope, or Full access.' : 'The scopes are not loaded yet. Choose Full access, or try again.',
    );
    boxes[0]?.focus();
    return null;
  }

  /** Forgets the catalogue, for the next user of this tab. */
  reset(): void {
    this.catalogue = null;
    this.list.replaceChildren();
  }

  private showChoices(): void {
    this.choices.hidden = !this.onlyChosen.checked;
  }

  private async loadCatalogue(): Promise<void> {
    if (this.catalogue) return;
    const catalogue = this.session.request<{ scopes: Scope[] }>('GET', '/v1/api-keys/scopes').then((answer) => answer.scopes);
    this.catalogue = catalogue;
    this.loading.hidden = false;
    try {
      const scopes = await catalogue;
      this.list.replaceChildren(...scopes.map((scope, index) => renderChoice(scope, `create-key-scope-${index}`)));
    } catch (error) {
      this.catalogue = null;
      if (error instanceof SessionEndedError) return;
      const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
      this.showError(`The scopes could not be loaded: ${reason} Choose Full access, or open this dialog again.`);
    } finally {
      this.loading.hidden = true;
    }
  }

  private checkboxes(): HTMLInputElement[] {
    return [...this.list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
    for (const box of this.checkboxes()) box.setAttribute('aria-invalid', 'true');
  }

  private clearError(): void {
    this.error.textContent = '';
    this.error.hidden = true;
    for (const box of this.checkboxes()) box.removeAttribute('aria-invalid');
  }
}

/** A tick named by the scope ("api_keys:read") and described by what it allows, read after the name. */
function renderChoice(scope: Scope, id: string): HTMLDivElement {
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = id;
  box.name = 'scopes';
  box.value = scope.name;
  box.setAttribute('aria-describedby', `${id}-description`);

  const label = document.createElement('label');
  label.htmlFor = id;
  const name = document.createElement('code');
  name.textContent = scope.name;
  label.append(name);

  const description = document.createElement('p');
  description.className = 'choice-note';
  description.id = `${id}-description`;
  description.textContent = scope.description;

  const choice = document.createElement('div');
  choice.className = 'choice';
  choice.append(box, label, description);
  return choice;
}
