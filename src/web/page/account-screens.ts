/**
 * The account lifecycle on the page: "Forgot password?", the screen a reset
 * link opens (#reset-password?token=…), the landing of a verification link
 * (#verify-email?token=…), the banner while the email is unverified, and
 * Change password and Delete account under Settings.
 */
import { ApiError, callApi } from './api-client.js';
import { elementById } from './element-by-id.js';
import { FormErrors } from './form-errors.js';
import { ModalDialog } from './modal-dialog.js';
import { SessionEndedError, SessionStore } from './session-store.js';
import { StatusAnnouncer } from './status-announcer.js';

/** A link from a message: what it is for, and its token. */
export interface AccountLink {
  kind: 'reset-password' | 'verify-email';
  token: string;
}

/** The link in the address bar, if the page was opened from one. */
export function accountLinkOf(hash: string): AccountLink | null {
  const match = /^#(reset-password|verify-email)\?(.*)$/.exec(hash);
  const token = match && new URLSearchParams(match[2]).get('token');
  return match && token ? { kind: match[1] as AccountLink['kind'], token } : null;
}

/** Takes the token out of the address bar and the history once it has been read. */
export function forgetAccountLink(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** "Forgot password?": asks for a link by email. The answer is the same whether the email has an account. */
export class ForgotPasswordScreen {
  readonly heading = elementById('forgot-title', HTMLHeadingElement);
  private readonly form = elementById('forgot-form', HTMLFormElement);
  private readonly emailInput = elementById('forgot-email', HTMLInputElement);
  private readonly submitButton = elementById('forgot-submit', HTMLButtonElement);
  private readonly notice = elementById('forgot-notice', HTMLParagraphElement);
  private readonly errors = new FormErrors(elementById('forgot-form-error', HTMLParagraphElement), { email: this.emailInput });

  constructor() {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  reset(email = ''): void {
    this.form.reset();
    this.emailInput.value = email;
    this.errors.clear();
    this.notice.hidden = true;
  }

  private async submit(): Promise<void> {
    this.errors.clear();
    this.submitButton.disabled = true;
    try {
      const { message } = await callApi<{ message: string }>('POST', '/v1/auth/password-reset', { body: { email: this.emailInput.value } });
      this.notice.textContent = `${message} Check your inbox; the link works for 30 minutes.`;
      this.notice.hidden = false;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.errors.show(error.message, error.details);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}

/** The screen a reset link opens: a new password, then back to sign in. */
export class ResetPasswordScreen {
  readonly heading = elementById('reset-title', HTMLHeadingElement);
  private token = '';
  private readonly form = elementById('reset-form', HTMLFormElement);
  private readonly passwordInput = elementById('reset-password', HTMLInputElement);
  private readonly submitButton = elementById('reset-submit', HTMLButtonElement);
  private readonly errors = new FormErrors(elementById('reset-form-error', HTMLParagraphElement), { new_password: this.passwordInput });

  constructor(private readonly onDone: () => void) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
  }

  open(token: string): void {
    this.token = token;
    this.form.reset();
    this.errors.clear();
  }

  private async submit(): Promise<void> {
    this.errors.clear();
    this.submitButton.disabled = true;
    try {
      await callApi<void>('POST', '/v1/auth/password-reset/confirm', { body: { token: this.token, new_password: this.passwordInput.value } });
      this.token = '';
      this.form.reset();
      this.onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.errors.show(error.message, error.details);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}

/** Confirms a verification link; the message to show, whether it worked or not. */
export async function confirmEmailVerification(token: string): Promise<{ ok: boolean; message: string }> {
  try {
    await callApi<void>('POST', '/v1/auth/email-verification/confirm', { body: { token } });
    return { ok: true, message: 'Your email is verified.' };
  } catch (error) {
    const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
    return { ok: false, message: `Your email could not be verified. ${reason}` };
  }
}

/** Settings: the unverified-email banner, Change password and Delete account. */
export class AccountPanel {
  private readonly banner = elementById('verify-banner', HTMLDivElement);
  private readonly bannerEmail = elementById('verify-email-address', HTMLElement);
  private readonly resendButton = elementById('verify-resend', HTMLButtonElement);
  private readonly heading = elementById('account-title', HTMLHeadingElement);

  private readonly changeDialog = new ModalDialog(elementById('change-password-dialog', HTMLDialogElement), this.heading);
  private readonly changeForm = elementById('change-password-form', HTMLFormElement);
  private readonly currentInput = elementById('change-current', HTMLInputElement);
  private readonly newInput = elementById('change-new', HTMLInputElement);
  private readonly changeSubmit = elementById('change-password-submit', HTMLButtonElement);
  private readonly changeErrors = new FormErrors(elementById('change-password-form-error', HTMLParagraphElement), {
    current_password: this.currentInput,
    new_password: this.newInput,
  });

  private readonly deleteDialog = new ModalDialog(elementById('delete-account-dialog', HTMLDialogElement), this.heading);
  private readonly deleteForm = elementById('delete-account-form', HTMLFormElement);
  private readonly deletePassword = elementById('delete-password', HTMLInputElement);
  private readonly deleteSubmit = elementById('delete-account-submit', HTMLButtonElement);
  private readonly deleteErrors = new FormErrors(elementById('delete-account-form-error', HTMLParagraphElement), {
    password: this.deletePassword,
  });

  constructor(
    private readonly session: SessionStore,
    private readonly status: StatusAnnouncer,
    /** Called after a change this panel made (other sessions ended, say). */
    private readonly changed: () => void,
  ) {
    this.resendButton.addEventListener('click', () => void this.resend());
    elementById('change-password', HTMLButtonElement).addEventListener('click', () => {
      this.changeForm.reset();
      this.changeErrors.clear();
      this.changeDialog.open();
    });
    this.changeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.changePassword();
    });
    elementById('delete-account', HTMLButtonElement).addEventListener('click', () => {
      this.deleteForm.reset();
      this.deleteErrors.clear();
      this.deleteDialog.open();
    });
    this.deleteForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.deleteAccount();
    });
  }

  /** Shows the banner while the signed-in user's email is unverified. */
  async load(): Promise<void> {
    const user = await this.session.refreshUser().catch(() => this.session.user);
    this.bannerEmail.textContent = user?.email ?? '';
    this.banner.hidden = !user || user.email_verified_at !== null;
  }

  reset(): void {
    this.changeDialog.close();
    this.deleteDialog.close();
    this.banner.hidden = true;
  }

  private async resend(): Promise<void> {
    this.resendButton.disabled = true;
    try {
      await this.session.request<{ message: string }>('POST', '/v1/auth/email-verification');
      this.status.announce(`A new link is on its way to ${this.bannerEmail.textContent}. It works for 24 hours.`);
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      this.status.announce(`The link could not be sent: ${error instanceof ApiError ? error.message : 'Something went wrong.'}`, 'error');
    } finally {
      this.resendButton.disabled = false;
    }
  }

  private async changePassword(): Promise<void> {
    this.changeErrors.clear();
    this.changeSubmit.disabled = true;
    try {
      await this.session.request<void>('POST', '/v1/users/me/password', {
        current_password: this.currentInput.value,
        new_password: this.newInput.value,
      });
      this.changeForm.reset();
      this.changeDialog.close();
      this.status.announce('Your password is changed. Your other sessions were signed out.');
      this.changed();
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      if (!(error instanceof ApiError)) throw error;
      this.changeErrors.show(error.message, error.code === 'wrong_password' ? [{ field: 'current_password', message: error.message }] : error.details);
    } finally {
      this.changeSubmit.disabled = false;
    }
  }

  private async deleteAccount(): Promise<void> {
    this.deleteErrors.clear();
    this.deleteSubmit.disabled = true;
    try {
      await this.session.request<void>('POST', '/v1/users/me/delete', { password: this.deletePassword.value });
      this.deleteForm.reset();
      this.deleteDialog.close();
      this.session.forget('account_deleted');
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      if (!(error instanceof ApiError)) throw error;
      this.deleteErrors.show(error.message, error.code === 'wrong_password' ? [{ field: 'password', message: error.message }] : error.details);
    } finally {
      this.deleteSubmit.disabled = false;
    }
  }
}
