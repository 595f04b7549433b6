import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** The system Chromium (Debian's `chromium` package); the browser specs skip themselves without it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/**
 * Headless, with nothing that phones home. Playwright gives every launch a fresh
 * temporary profile (`--user-data-dir`) and deletes it on close; it refuses that flag in `args`.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
