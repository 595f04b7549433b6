/**
 * The Settings → API page: wires the session, the sign-in screen and the two panels,
 * and switches between the views. Everything goes through the public HTTP API.
 */
import { ApiError } from './api-client.js';
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
};

const TIMES_AGO_REFRESH_MS = 30_000;

type View = 'loading' | 'auth' | 'settings';

const views: Record<View, HTMLElement> = {
  loading: elementById('loading-view', HTMLDivElement),
  auth: elementById('auth-view', HTMLDivElement),
  settings: elementById('settings-view', HTMLDivElement),
};
const account = elementById('account', HTMLDivElement);
const accountEmail = elementById('account-email', HTMLSpanElement);
const settingsHeading = elementById('settings-title', HTMLHeadingElement);
const signOutButton = elementById('sign-out', HTMLButtonElement);

const status = new StatusAnnouncer(elementById('status', HTMLDivElement));
const session = new SessionStore((end) => showSignIn(END_NOTICES[end], { moveFocus: true }));
const authForm = new AuthForm(session, () => void showSettings({ moveFocus: true }));
const showChange = () => void activity.load();
const apiKeys = new ApiKeysPanel(session, status, showChange);
const sessions = new SessionsPanel(session, status, showChange);
const activity = new ActivityPanel(session, status, (id) => apiKeys.nameOf(id));

signOutButton.addEventListener('click', () => {
  signOutButton.disabled = true;
  void session.signOut().finally(() => {
    signOutButton.disabled = false;
  });
});

setInterval(() => refreshTimesAgo(views.settings), TIMES_AGO_REFRESH_MS);

void start();

async function start(): Promise<void> {
  if (!session.hasStoredSession()) {
    showSignIn('', { moveFocus: false });
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
}

async function showSettings({ moveFocus }: { moveFocus: boolean }): Promise<void> {
  accountEmail.textContent = session.user?.email ?? '';
  account.hidden = false;
  showView('settings');
  if (moveFocus) settingsHeading.focus();
  // The activity names keys, so it follows their list.
  await Promise.all([apiKeys.load().then(() => activity.load()), sessions.load()]);
}

function showSignIn(notice: string, { moveFocus }: { moveFocus: boolean }): void {
  apiKeys.reset();
  sessions.reset();
  activity.reset();
  status.clear();
  account.hidden = true;
  accountEmail.textContent = '';
  authForm.reset(notice);
  showView('auth');
  if (moveFocus) authForm.heading.focus();
}

function showView(shown: View): void {
  for (const [name, element] of Object.entries(views)) element.hidden = name !== shown;
}
