/**
 * A <dialog> shown modally. Focus moves to its `[data-initial-focus]` element and, when it
 * closes (a button, Escape, or code), returns to the element that had it before; if that
 * element is gone or disabled (the Revoke button of a key just revoked), to a fallback.
 */
export class ModalDialog {
  private shown = false;
  private returnFocusTo: HTMLElement | null = null;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    readonly element: HTMLDialogElement,
    private readonly fallbackFocus: HTMLElement,
  ) {
    for (const button of element.querySelectorAll<HTMLElement>('[data-close-dialog]')) {
      button.addEventListener('click', () => this.close());
    }
    element.addEventListener('close', () => this.afterClose());
  }

  open(): void {
    if (this.element.open) return;
    this.shown = true;
    this.returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.element.showModal();
    this.element.querySelector<HTMLElement>('[data-initial-focus]')?.focus();
  }

  close(): void {
    if (this.element.open) this.element.close();
    // The close event comes a task later; a secret on display must not outlive this call.
    this.afterClose();
  }

  /** Runs on every close, however it was closed. */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private afterClose(): void {
    if (!this.shown) return;
    this.shown = false;
    for (const listener of this.closeListeners) listener();
    const target = this.returnFocusTo;
    this.returnFocusTo = null;
    if (target?.isConnected) target.focus();
    if (document.activeElement !== target || !target) this.fallbackFocus.focus();
  }
}
