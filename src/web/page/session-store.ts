/**
 * The signed-in session of this page.
 *
 * The access token lives in memory only, so a script that reads storage finds no bearer
 * credential. The refresh token is the one secret kept in localStorage: it is what lets
 * a reload stay signed in, it is rotated on every use, and a stolen-then-replayed one
 * ends the whole session on the server. The access token is renewed shortly before it
 * expires, and once more when a request is refused with a 401 (a tab that slept through
 * its timer). A renewal refused with a 401 means the session is over.
 */
import { ApiError, callApi, HttpMethod, Session, User } from './api-client.js';

export const REFRESH_TOKEN_STORAGE_KEY = 'magpipe.refresh_token';

/** Renew this long before the access token expires. */
const RENEW_BEFORE_EXPIRY_MS = 60_000;
/** After a renewal failed for a passing reason (offline, 429, 503), try again this much later. */
const RENEW_RETRY_MS = 15_000;
/** Tabs share the refresh token; this Web Lock keeps two of them from spending it at once. */
const RENEWAL_LOCK = 'magpipe.session-renewal';

export type SessionEnd = 'expired' | 'signed_out' | 'signed_out_elsewhere' | 'account_deleted';

/** Thrown to callers whose request needed a session that has ended; the sign-in screen is already shown. */
export class SessionEndedError extends Error {
  constructor() {
    super('The session has ended');
    this.name = 'SessionEndedError';
  }
}

export class SessionStore {
  private accessToken: string | null = null;
  private accessTokenExpiresAtMs = 0;
  private signedInUser: User | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private renewal: Promise<string> | null = null;

  constructor(private readonly onEnded: (end: SessionEnd) => void) {
    window.addEventListener('storage', (event) => {
      // Another tab signed out, or found the session over: this tab's session is the same one.
      const refreshTokenGone = event.key === null || event.key === REFRESH_TOKEN_STORAGE_KEY;
      if (refreshTokenGone && this.isActive && readRefreshToken() === null) this.end('signed_out_elsewhere');
    });
  }

  get user(): User | null {
    return this.signedInUser;
  }

  get isActive(): boolean {
    return this.accessToken !== null;
  }

  /** True when an earlier visit left a refresh token to restore the session from. */
  hasStoredSession(): boolean {
    return readRefreshToken() !== null;
  }

  async signIn(email: string, password: string): Promise<void> {
    this.adopt(await callApi<Session>('POST', '/v1/auth/login', { body: { email, password } }));
  }

  async signUp(email: string, password: string, name: string): Promise<void> {
    const body = name.trim() ? { email, password, name } : { email, password };
    this.adopt(await callApi<Session>('POST', '/v1/auth/signup', { body }));
  }

  /** Restores the session from the stored refresh token. Rejects with SessionEndedError when it no longer works. */
  async restore(): Promise<void> {
    await this.renew();
  }

  /** A call to the API as the signed-in user. */
  async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    if (!this.isActive) throw new SessionEndedError();
    const accessToken = Date.now() < this.accessTokenExpiresAtMs ? (this.accessToken ?? '') : await this.renew();
    try {
      return await callApi<T>(method, path, { accessToken, body });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // Expired while the tab slept, or ended elsewhere: one renewal tells which.
      return callApi<T>(method, path, { accessToken: await this.renew(), body });
    }
  }

  /** The signed-in user, read again (after the email was verified, say). */
  async refreshUser(): Promise<User | null> {
    if (!this.isActive) return null;
    this.signedInUser = await this.request<User>('GET', '/v1/users/me');
    return this.signedInUser;
  }

  /** Forgets a session the server has ended already (the account is deleted). */
  forget(reason: SessionEnd): void {
    this.end(reason);
  }

  /** Ends this session on the server (scope `local`) and forgets it here. */
  async signOut(): Promise<void> {
    try {
      await this.request<void>('POST', '/v1/auth/logout', { scope: 'local' });
    } catch (error) {
      if (error instanceof SessionEndedError) return;
      // Offline or a server error: the user asked to leave, so this device forgets the session anyway.
    }
    this.end('signed_out');
  }

  private renew(): Promise<string> {
    this.renewal ??= this.renewOnceAcrossTabs().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  private async renewOnceAcrossTabs(): Promise<string> {
    if (!('locks' in navigator)) return this.renewNow();
    return navigator.locks.request(RENEWAL_LOCK, () => this.renewNow());
  }

  private async renewNow(): Promise<string> {
    // Read inside the lock: another tab may have just rotated it.
    const refreshToken = readRefreshToken();
    if (refreshToken === null) throw this.end('expired');
    let session: Session;
    try {
      session = await callApi<Session>('POST', '/v1/auth/refresh', { body: { refresh_token: refreshToken } });
    } catch (error) {
      const sessionIsOver = error instanceof ApiError && (error.status === 401 || error.status === 400);
      throw sessionIsOver ? this.end('expired') : error;
    }
    return this.adopt(session);
  }

  private adopt(session: Session): string {
    this.accessToken = session.access_token;
    // expires_in rather than expires_at: this browser's clock may disagree with the server's.
    this.accessTokenExpiresAtMs = Date.now() + session.expires_in * 1000;
    this.signedInUser = session.user;
    localStorage.setItem(REFRESH_TOKEN_STORAGE_KEY, session.refresh_token);
    this.scheduleRenewal(session.expires_in * 1000 - RENEW_BEFORE_EXPIRY_MS);
    return session.access_token;
  }

  private scheduleRenewal(delayMs: number): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(
      () => {
        this.renew().catch((error: unknown) => {
          if (!(error instanceof SessionEndedError)) this.scheduleRenewal(RENEW_RETRY_MS);
        });
      },
      Math.max(delayMs, 0),
    );
  }

  /** Forgets the session, tells the page, and returns the error for callers that needed it. */
  private end(reason: SessionEnd): SessionEndedError {
    clearTimeout(this.renewTimer);
    this.accessToken = null;
    this.accessTokenExpiresAtMs = 0;
    this.signedInUser = null;
    localStorage.removeItem(REFRESH_TOKEN_STORAGE_KEY);
    this.onEnded(reason);
    return new SessionEndedError();
  }
}

function readRefreshToken(): string | null {
  return localStorage.getItem(REFRESH_TOKEN_STORAGE_KEY);
}
