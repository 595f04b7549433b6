/** The sign-in screen, which doubles as sign-up ("Create an account"). */
import { ApiError } from './api-client.js';
import { elementById } from './element-by-id.js';
import { FormErrors } from './form-errors.js';
import { SessionStore } from './session-store.js';

type AuthMode = 'sign_in' | 'sign_up';

const COPY: Record<AuthMode, { title: string; submit: string; busy: string; prompt: string; switchTo: string }> = {
  sign_in: {
    title: 'Sign in to Magpipe',
    submit: 'Sign in',
    busy: 'Signing in…',
    prompt: 'New to Magpipe?',
    switchTo: 'Create an account',
  },
  sign_up: {
    title: 'Create your Magpipe account',
    submit: 'Create account',
    busy: 'Creating account…',
    prompt: 'Already have an account?',
    switchTo: 'Sign in instead',
  },
};

export class AuthForm {
  private mode: AuthMode = 'sign_in';
  private busy = false;
  readonly heading = elementById('auth-title', HTMLHeadingElement);
  private readonly form = elementById('auth-form', HTMLFormElement);
  private readonly notice = elementById('auth-notice', HTMLParagraphElement);
  private readonly nameField = elementById('auth-name-field', HTMLDivElement);
  private readonly nameInput = elementById('auth-name', HTMLInputElement);
  private readonly emailInput = elementById('auth-email', HTMLInputElement);
  private readonly passwordInput = elementById('auth-password', HTMLInputElement);
  private readonly passwordHint = elementById('auth-password-hint', HTMLParagraphElement);
  private readonly submitButton = elementById('auth-submit', HTMLButtonElement);
  private readonly switchPrompt = elementById('auth-switch-prompt', HTMLSpanElement);
  private readonly switchButton = elementById('auth-switch', HTMLButtonElement);
  private readonly errors = new FormErrors(elementById('auth-form-error', HTMLParagraphElement), {
    name: this.nameInput,
    email: this.emailInput,
    password: this.passwordInput,
  });

  constructor(
    private readonly session: SessionStore,
    private readonly onSignedIn: () => void,
  ) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.switchButton.addEventListener('click', () => {
      this.errors.clear();
      this.notice.hidden = true;
      this.setMode(this.mode === 'sign_in' ? 'sign_up' : 'sign_in');
    });
  }

  /** Back to an empty sign-in form, with a notice such as "Your session has ended". */
  reset(notice = ''): void {
    this.form.reset();
    this.errors.clear();
    this.setMode('sign_in');
    this.notice.textContent = notice;
    this.notice.hidden = notice === '';
  }

  private setMode(mode: AuthMode): void {
    this.mode = mode;
    const copy = COPY[mode];
    this.heading.textContent = copy.title;
    this.submitButton.textContent = copy.submit;
    this.switchPrompt.textContent = copy.prompt;
    this.switchButton.textContent = copy.switchTo;
    this.nameField.hidden = mode === 'sign_in';
    this.passwordHint.hidden = mode === 'sign_in';
    this.passwordInput.autocomplete = mode === 'sign_in' ? 'current-password' : 'new-password';
    if (mode === 'sign_up') this.passwordInput.setAttribute('aria-describedby', this.passwordHint.id);
    else this.passwordInput.removeAttribute('aria-describedby');
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.errors.clear();
    this.submitButton.disabled = true;
    this.submitButton.textContent = COPY[this.mode].busy;
    try {
      const email = this.emailInput.value;
      const password = this.passwordInput.value;
      if (this.mode === 'sign_in') await this.session.signIn(email, password);
      else await this.session.signUp(email, password, this.nameInput.value);
      this.form.reset();
      this.notice.hidden = true;
      this.onSignedIn();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.errors.show(error.message, error.details);
    } finally {
      this.busy = false;
      this.submitButton.disabled = false;
      this.submitButton.textContent = COPY[this.mode].submit;
    }
  }
}
