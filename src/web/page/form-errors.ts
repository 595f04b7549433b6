/**
 * Shows an API error on a form: each `details` entry next to the field it names (with
 * aria-invalid and aria-describedby, so a screen reader reads it with the field), and
 * the rest in the form's alert. Each field's message element has the id `<input id>-error`.
 */
import { FieldError } from './api-client.js';

/** A control an API error can name: a text input, or a select such as a key's expiry. */
export type FormField = HTMLInputElement | HTMLSelectElement;

export class FormErrors {
  constructor(
    private readonly formMessage: HTMLElement,
    private readonly fields: Record<string, FormField>,
  ) {}

  show(message: string, details: FieldError[] = []): void {
    this.clear();
    const unplaced: string[] = [];
    let firstInvalid: FormField | undefined;
    for (const detail of details) {
      const input = this.fields[detail.field];
      if (!input) {
        unplaced.push(sentenceCase(detail.message));
        continue;
      }
      const slot = messageSlotOf(input);
      slot.textContent = [slot.textContent, sentenceCase(detail.message)].filter(Boolean).join(' ');
      slot.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), slot.id].filter(Boolean).join(' '));
      firstInvalid ??= input;
    }
    const formText = unplaced.length > 0 ? unplaced.join(' ') : firstInvalid ? '' : message;
    this.formMessage.textContent = formText;
    this.formMessage.hidden = formText === '';
    firstInvalid?.focus();
  }

  clear(): void {
    this.formMessage.textContent = '';
    this.formMessage.hidden = true;
    for (const input of Object.values(this.fields)) {
      const slot = messageSlotOf(input);
      slot.textContent = '';
      slot.hidden = true;
      input.removeAttribute('aria-invalid');
      const describedBy = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== slot.id);
      if (describedBy.length > 0) input.setAttribute('aria-describedby', describedBy.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  }
}

function messageSlotOf(input: FormField): HTMLElement {
  const slot = document.getElementById(`${input.id}-error`);
  if (!slot) throw new Error(`#${input.id}-error is missing`);
  return slot;
}

/** class-validator messages start with the field name in lower case ("name must be…"). */
function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
