/** Settings → Sessions: where this account is signed in, signing one out, and "Sign out other sessions". */
import { ApiError, SessionInfo } from './api-client.js';
import { elementById } from './element-by-id.js';
import { dateElement, timeAgoElement } from './relative-time.js';
import { SessionEndedError, SessionStore } from './session-store.js';
import { StatusAnnouncer } from './status-announcer.js';

export class SessionsPanel {
  private sessions: SessionInfo[] = [];
  private readonly tableBody = elementById('sessions-body', HTMLTableSectionElement);
  private readonly signOutOthersButton = elementById('sign-out-others', HTMLButtonElement);

  constructor(
    private readonly session: SessionStore,
    private readonly status: StatusAnnouncer,
    /** Called after each change this panel makes (the security activity shows it). */
    private readonly changed: () => void = () => undefined,
  ) {
    this.signOutOthersButton.addEventListener('click', () => void this.signOutOthers());
  }

  async load(): Promise<void> {
    try {
      const { sessions } = await this.session.request<{ sessions: SessionInfo[] }>('GET', '/v1/auth/sessions');
      // This device first, then the most recently active.
      this.sessions = sessions.sort(
        (a, b) => Number(b.current) - Number(a.current) || Date.parse(b.refreshed_at) - Date.parse(a.refreshed_at),
      );
      this.render();
    } catch (error) {
      this.report(error, 'Your sessions could not be loaded');
    }
  }

  reset(): void {
    this.sessions = [];
    this.tableBody.replaceChildren();
  }

  private render(): void {
    this.tableBody.replaceChildren(...this.sessions.map((session) => this.renderRow(session)));
    const others = this.sessions.filter((session) => !session.current).length;
    this.signOutOthersButton.disabled = others === 0;
  }

  private async signOutOthers(): Promise<void> {
    const others = this.sessions.filter((session) => !session.current).length;
    this.signOutOthersButton.disabled = true;
    try {
      await this.session.request<void>('POST', '/v1/auth/logout', { scope: 'others' });
      this.status.announce(others === 1 ? 'Signed out 1 other session.' : `Signed out ${others} other sessions.`);
      this.changed();
      await this.load();
    } catch (error) {
      this.report(error, 'The other sessions could not be signed out');
      this.render();
    }
  }

  private async signOut(session: SessionInfo, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await this.session.request<void>('DELETE', `/v1/auth/sessions/${encodeURIComponent(session.id)}`);
      this.status.announce(`Signed out ${describeDevice(session.user_agent)}.`);
      this.changed();
      await this.load();
    } catch (error) {
      button.disabled = false;
      this.report(error, 'The session could not be signed out');
    }
  }

  private renderRow(session: SessionInfo): HTMLTableRowElement {
    const row = renderRow(session);
    const actions = document.createElement('td');
    actions.className = 'cell-actions';
    // This device signs out with the Sign out button at the top.
    if (!session.current) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button-danger-quiet button-small';
      const hiddenName = document.createElement('span');
      hiddenName.className = 'visually-hidden';
      hiddenName.textContent = ` ${describeDevice(session.user_agent)}, ${session.ip ?? 'unknown address'}`;
      button.append('Sign out', hiddenName);
      button.addEventListener('click', () => void this.signOut(session, button));
      actions.append(button);
    }
    row.append(actions);
    return row;
  }

  private report(error: unknown, context: string): void {
    if (error instanceof SessionEndedError) return;
    const reason = error instanceof ApiError ? error.message : 'Something went wrong.';
    this.status.announce(`${context}: ${reason}`, 'error');
  }
}

function renderRow(session: SessionInfo): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.sessionId = session.id;
  if (session.current) row.classList.add('is-current');

  const device = document.createElement('th');
  device.scope = 'row';
  device.className = 'cell-name';
  const deviceName = document.createElement('span');
  deviceName.textContent = describeDevice(session.user_agent);
  if (session.user_agent) deviceName.title = session.user_agent;
  device.append(deviceName);
  if (session.current) {
    const badge = document.createElement('span');
    badge.className = 'badge badge-current';
    badge.textContent = 'This device';
    device.append(' ', badge);
  }

  const ip = document.createElement('td');
  ip.className = 'cell-ip';
  ip.dataset.label = 'IP address';
  ip.textContent = session.ip ?? 'Unknown';

  const signedIn = document.createElement('td');
  signedIn.dataset.label = 'Signed in';
  signedIn.append(dateElement(session.created_at));
  const lastActive = document.createElement('td');
  lastActive.dataset.label = 'Last active';
  lastActive.append(timeAgoElement(session.refreshed_at));

  row.append(device, ip, signedIn, lastActive);
  return row;
}

/** "Chrome on macOS" from a User-Agent header; the header itself is shown on hover. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent;
}

// Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];
