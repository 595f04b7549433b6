import { Browser, BrowserContext, Page } from 'playwright-core';

export const REFRESH_TOKEN_STORAGE_KEY = 'magpipe.refresh_token';

/** A page in its own browser context, with what it requested and what went wrong in it. */
export interface ObservedPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page asked for: documents, scripts, styles, images and fetches. */
  requestedUrls: string[];
  /** Console messages about Content Security Policy violations. */
  cspViolations: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

export interface ObservedPageOptions {
  /** Start with this refresh token stored, as a returning visitor would. */
  refreshToken?: string;
  /** Install Playwright's fake clock before the page's scripts run. */
  fakeClock?: boolean;
}

export async function openObservedPage(
  browser: Browser,
  origin: string,
  options: ObservedPageOptions = {},
): Promise<ObservedPage> {
  const context = await browser.newContext({
    baseURL: origin,
    storageState: {
      cookies: [],
      origins: options.refreshToken
        ? [{ origin, localStorage: [{ name: REFRESH_TOKEN_STORAGE_KEY, value: options.refreshToken }] }]
        : [],
    },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  if (options.fakeClock) await page.clock.install();

  const observed: ObservedPage = { page, context, requestedUrls: [], cspViolations: [], pageErrors: [] };
  page.on('request', (request) => observed.requestedUrls.push(request.url()));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) observed.cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => observed.pageErrors.push(error.message));
  return observed;
}

/** The page's localStorage, read from outside the page. */
export async function storedEntries(observed: ObservedPage, origin: string): Promise<{ name: string; value: string }[]> {
  const state = await observed.context.storageState();
  return state.origins.find((entry) => entry.origin === origin)?.localStorage ?? [];
}

/** Polls until `condition` holds; for state the page reaches after a server-side flush. */
export async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
