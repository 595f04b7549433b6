/**
 * The Settings → API page: wires the session, the sign-in screens and the
 * panels, and switches between the views. Everything goes through the public
 * HTTP API.
 */
import { ApiError } from './api-client.js';
import {
  AccountLink,
  AccountPanel,
  accountLinkOf,
  confirmEmailVerification,
  forgetAccountLink,
  ForgotPasswordScreen,
  ResetPasswordScreen,
} from './account-screens.js';
import { ActivityPanel } from './activity-panel.js';
import { ApiKeysPanel } from './api-keys-panel.js';
import { AuthForm } from './auth-form.js';
import { elementById } from './element-by-id.js';
import { refreshTimesAgo } from './relative-time.js';
import { SessionEnd, SessionEndedError, SessionStore } from './session-store.js';
import { SessionsPanel } from './sessions-panel.js';
import { StatusAnnouncer } from './status-announcer.js';

const END_NOTICES: Record<SessionEnd, string> = {
  expired: 'Your session has ended, please sign in again.',
  signed_out: 'You have signed out.',
  signed_out_elsewhere: 'You were signed out in another tab. Sign in again to continue.',
  account_deleted: 'Your account is deleted. Thank you for having used Magpipe.',
};

const TIMES_AGO_REFRESH_MS = 30_000;

type View = 'loading' | 'auth' | 'forgot' | 'reset' | 'settings';

const views: Record<View, HTMLElement> = {
  loading: elementById('loading-view', HTMLDivElement),
  auth: elementById('auth-view', HTMLDivElement),
  forgot: elementById('forgot-view', HTMLDivElement),
  reset: elementById('reset-view', HTMLDivElement),
  settings: elementById('settings-view', HTMLDivElement),
};
const account = elementById('account', HTMLDivElement);
const accountEmail = elementById('account-email', HTMLSpanElement);
const settingsHeading = elementById('settings-title', HTMLHeadingElement);
const signOutButton = elementById('sign-out', HTMLButtonElement);

const status = new StatusAnnouncer(elementById('status', HTMLDivElement));
const session = new SessionStore((end) => showSignIn(END_NOTICES[end], { moveFocus: true }));
const authForm = new AuthForm(session, () => void showSettings({ moveFocus: true }));
const forgotScreen = new ForgotPasswordScreen();
const resetScreen = new ResetPasswordScreen(() => {
  showSignIn('Your password is set, and every session was signed out. Sign in with the new password.', { moveFocus: true });
});
const showChange = () => void activity.load();
const apiKeys = new ApiKeysPanel(session, status, showChange);
const sessions = new SessionsPanel(session, status, showChange);
const activity = new ActivityPanel(session, status, (id) => apiKeys.nameOf(id));
const accountPanel = new AccountPanel(session, status, () => {
  void sessions.load();
  void activity.load();
});

signOutButton.addEventListener('click', () => {
  signOutButton.disabled = true;
  void session.signOut().finally(() => {
    signOutButton.disabled = false;
  });
});
elementById('forgot-open', HTMLButtonElement).addEventListener('click', () => showForgot());
elementById('reset-new-link', HTMLButtonElement).addEventListener('click', () => showForgot());
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-back-to-sign-in]')) {
  button.addEventListener('click', () => showSignIn('', { moveFocus: true }));
}

setInterval(() => refreshTimesAgo(views.settings), TIMES_AGO_REFRESH_MS);

// A link from a mail may land in a tab that already shows the page: only the hash changes then.
window.addEventListener('hashchange', () => {
  const link = accountLinkOf(location.hash);
  if (link) void followAccountLink(link);
});

void start();

async function start(): Promise<void> {
  const link = accountLinkOf(location.hash);
  if (link?.kind === 'reset-password') {
    openResetScreen(link.token);
    return;
  }
  if (link) forgetAccountLink();
  // A verification link works signed in or not; the page then carries on as it would have.
  const verified = link?.kind === 'verify-email' ? await confirmEmailVerification(link.token) : null;
  if (!session.hasStoredSession()) {
    showSignIn(verified?.message ?? '', { moveFocus: false });
    return;
  }
  try {
    await session.restore();
  } catch (error) {
    // A dead refresh token has already brought the sign-in screen and its notice.
    if (error instanceof SessionEndedError) return;
    // Offline, rate limited or down: the stored token may still be good, so it is kept for a reload.
    const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
    showSignIn(`Your session could not be restored. ${reason} Reload the page to try again.`, { moveFocus: false });
    return;
  }
  await showSettings({ moveFocus: false });
  if (verified) status.announce(verified.message, verified.ok ? 'success' : 'error');
}

async function followAccountLink(link: AccountLink): Promise<void> {
  if (link.kind === 'reset-password') {
    openResetScreen(link.token);
    return;
  }
  forgetAccountLink();
  const verified = await confirmEmailVerification(link.token);
  if (!session.user) {
    showSignIn(verified.message, { moveFocus: true });
    return;
  }
  await Promise.all([accountPanel.load(), activity.load()]);
  status.announce(verified.message, verified.ok ? 'success' : 'error');
}

function openResetScreen(token: string): void {
  forgetAccountLink();
  resetScreen.open(token);
  showView('reset');
}

async function showSettings({ moveFocus }: { moveFocus: boolean }): Promise<void> {
  accountEmail.textContent = session.user?.email ?? '';
  account.hidden = false;
  showView('settings');
  if (moveFocus) settingsHeading.focus();
  // The activity names keys, so it follows their list.
  await Promise.all([apiKeys.load().then(() => activity.load()), sessions.load(), accountPanel.load()]);
}

function showSignIn(notice: string, { moveFocus }: { moveFocus: boolean }): void {
  apiKeys.reset();
  sessions.reset();
  activity.reset();
  accountPanel.reset();
  status.clear();
  account.hidden = true;
  accountEmail.textContent = '';
  authForm.reset(notice);
  showView('auth');
  if (moveFocus) authForm.heading.focus();
}

function showForgot(): void {
  forgotScreen.reset();
  showView('forgot');
  forgotScreen.heading.focus();
}

function showView(shown: View): void {
  for (const [name, element] of Object.entries(views)) element.hidden = name !== shown;
}
