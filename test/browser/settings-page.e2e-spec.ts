import { mkdirSync } from 'node:fs';
import { Server } from 'node:http';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { freePort } from '../support/app-process';
import { createApiKey, logIn, signUp, uniqueEmail } from '../support/factories';
import { outboxFiles, waitForMail } from '../support/mail';
import { startTestApp, TestApp } from '../support/test-app';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from './chromium';
import { ObservedPage, openObservedPage, REFRESH_TOKEN_STORAGE_KEY, storedEntries, waitUntil } from './observed-page';
import { buildWebPage } from './web-page-build';

const SCREENSHOT_PATH = join(__dirname, '..', '..', 'artifacts', 'settings-api.png');
const API_KEY = /^mgp_[0-9a-f]{40}$/;

if (!chromiumAvailable) console.warn(`Chromium not found at ${CHROMIUM_PATH}: skipping browser tests`);
const describeInChromium = chromiumAvailable ? describe : describe.skip;

describeInChromium('Settings → API page (Chromium)', () => {
  jest.setTimeout(60_000);

  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let opened: ObservedPage[] = [];

  beforeAll(async () => {
    buildWebPage();
    // Links in mail point at this origin, so it is chosen before the service starts.
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await startTestApp({ env: { API_KEY_LAST_USED_FLUSH_MS: '200', PUBLIC_URL: origin } });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    // Node's fetch keeps its connections alive, and server.close() leaves some of them to
    // Fastify's 72 s keep-alive timeout; nothing is in flight by now, so cut them.
    (t?.app.getHttpServer() as Server | undefined)?.closeAllConnections();
    await t?.close();
  });

  afterEach(async () => {
    const pages = opened;
    opened = [];
    for (const observed of pages) await observed.context.close();
    for (const observed of pages) {
      expect(observed.requestedUrls.filter((url) => new URL(url).origin !== origin)).toEqual([]);
      expect(observed.cspViolations).toEqual([]);
      expect(observed.pageErrors).toEqual([]);
    }
  });

  async function open(options: Parameters<typeof openObservedPage>[2] = {}): Promise<ObservedPage> {
    const observed = await openObservedPage(browser, origin, options);
    opened.push(observed);
    await observed.page.goto('/');
    return observed;
  }

  const api = (path: string, init: RequestInit = {}) => fetch(`${origin}${path}`, init);
  const whoami = (token: string) => api('/v1/auth/whoami', { headers: { Authorization: `Bearer ${token}` } });
  const reportLeaked = async (key: string) => {
    const report = await api('/v1/api-keys/report-leaked', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ keys: [key] }),
    });
    expect(report.status).toBe(202);
  };

  async function createScopedKey(
    token: string,
    body: { name: string; scopes?: string[]; expires_at?: string },
  ): Promise<{ id: string; key: string }> {
    const response = await t.http().post('/v1/api-keys').set('Authorization', `Bearer ${token}`).send(body).expect(201);
    return { id: response.body.id as string, key: response.body.key as string };
  }

  async function listedKeys(token: string): Promise<ListedKey[]> {
    return (await t.http().get('/v1/api-keys').set('Authorization', `Bearer ${token}`).expect(200)).body.keys as ListedKey[];
  }

  it('is served with a strict CSP, next to the API docs and the JSON 404', async () => {
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)|\sstyle=|https?:\/\//);

    const script = await api('/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    expect((await api('/docs')).status).toBe(200);
    expect((await api('/docs/openapi.json')).status).toBe(200);

    const missing = await api('/no-such-page');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('signs up, shows a new key once, tracks its use, and revokes it', async () => {
    const observed = await open();
    const { page } = observed;

    await page.getByRole('button', { name: 'Create an account' }).click();
    const signUpForm = page.locator('#auth-view');
    await signUpForm.getByLabel('Name').fill('Ada Lovelace');
    await signUpForm.getByLabel('Email').fill(uniqueEmail());
    await signUpForm.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'API', exact: true }).waitFor();
    await page.getByText('No API keys yet.').waitFor();

    // The API's validation message, next to the field.
    await page.getByRole('button', { name: 'Generate New Key' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Generate a new API key' });
    await createDialog.waitFor();
    expect(await focusedElementId(page)).toBe('create-key-name');
    await createDialog.getByRole('button', { name: 'Generate key' }).click();
    const nameError = createDialog.locator('#create-key-name-error');
    await nameError.waitFor();
    expect(await nameError.textContent()).toMatch(/must be longer than or equal to 1 characters/);
    expect(await createDialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

    // Full access and no expiry are the defaults, said as such, and sent as the API's own defaults.
    const fullAccess = createDialog.getByRole('radio', { name: 'Full access' });
    expect(await fullAccess.isChecked()).toBe(true);
    expect(await describedBy(fullAccess)).toMatch(/can do everything your account can, including creating/);
    expect(await createDialog.getByRole('radio', { name: 'Only what I choose' }).isChecked()).toBe(false);
    expect(await createDialog.getByRole('group', { name: 'Scopes' }).isHidden()).toBe(true);
    expect(await selectedOptionText(createDialog.getByLabel('Expires'))).toBe('Never');
    await createDialog.getByLabel('Name').fill('CI pipeline');
    const createRequest = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/v1/api-keys'));
    await createDialog.getByRole('button', { name: 'Generate key' }).click();
    expect((await createRequest).postDataJSON()).toEqual({ name: 'CI pipeline' });
    const revealDialog = page.getByRole('dialog', { name: 'Your new API key' });
    await revealDialog.waitFor();
    expect(await revealDialog.textContent()).toContain("it won't be shown again");
    expect(await revealDialog.locator('#reveal-old-key').isHidden()).toBe(true); // no old key to speak of
    const key = await revealDialog.locator('#reveal-key-value').inputValue();
    expect(key).toMatch(API_KEY);

    await revealDialog.getByRole('button', { name: 'Copy' }).click();
    await revealDialog.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);

    const row = page.locator('#keys-body tr', { hasText: 'CI pipeline' });
    expect(await rowCells(row)).toEqual([
      `CI pipeline ${key.slice(0, 12)}...`,
      'Full access',
      expect.any(String),
      'Never',
      'Active Never expires',
      'Roll CI pipeline Rename CI pipeline Revoke CI pipeline',
    ]);

    // Closing the dialog takes the key out of the page for good.
    await revealDialog.getByRole('button', { name: 'Done' }).click();
    await revealDialog.waitFor({ state: 'hidden' });
    expect(await page.locator('#reveal-key-value').inputValue()).toBe('');
    expect(await page.content()).not.toContain(key);
    expect(await page.evaluate<string>('document.body.innerText')).not.toContain(key);
    expect(await focusedElementId(page)).toBe('generate-key');

    const asKey = await whoami(key);
    expect(asKey.status).toBe(200);
    const keyId = await row.getAttribute('data-key-id');
    expect(await asKey.json()).toMatchObject({ auth: { method: 'api_key', api_key_id: keyId, scopes: ['*'] } });

    // last_used_at is flushed every 200 ms in this app; the list shows it once reloaded.
    await waitUntil(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.locator('.cell-last-used').textContent()) !== 'Never';
    }, 'the key shows as used');
    expect(await row.locator('.cell-last-used').textContent()).toBe('Just now');

    // Cancelling a revocation changes nothing and gives focus back.
    await row.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    const revokeDialog = page.getByRole('alertdialog', { name: 'Revoke “CI pipeline”?' });
    await revokeDialog.waitFor();
    expect(await focusedElementText(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await revokeDialog.waitFor({ state: 'hidden' });
    expect(await focusedElementText(page)).toBe('Revoke CI pipeline');
    expect(await seenText(row.locator('.cell-status'))).toBe('Active Never expires');

    await row.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    await revokeDialog.getByRole('button', { name: 'Revoke key' }).click();
    await revokeDialog.waitFor({ state: 'hidden' });
    expect(await seenText(row.locator('.cell-status'))).toBe('Revoked');
    expect(await row.getByRole('button').count()).toBe(0);
    await page.getByRole('status').getByText('“CI pipeline” was revoked.', { exact: false }).waitFor();

    const revoked = await whoami(key);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: 'api_key_revoked' });

    // The refresh token is the only thing the page keeps.
    const stored = await storedEntries(observed, origin);
    expect(stored.map((entry) => entry.name)).toEqual([REFRESH_TOKEN_STORAGE_KEY]);
    expect(stored[0].value).not.toMatch(/^mgp_|^eyJ|\./);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  });

  it('lists keys active first, with prefixes, dates and use (artifacts/settings-api.png)', async () => {
    const user = await signUp(t, { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com` });
    const leaked = await createApiKey(t, user.accessToken, 'Old laptop');
    const staging = await createApiKey(t, user.accessToken, 'Staging deploys');
    const ci = await createScopedKey(user.accessToken, {
      name: 'CI pipeline',
      scopes: ['api_keys:read', 'api_keys:write', 'audit:read', 'users:read'],
      expires_at: inDays(30),
    });
    const billing = await createScopedKey(user.accessToken, { name: 'Billing worker', scopes: ['users:read'] });
    await createScopedKey(user.accessToken, { name: 'Local development', expires_at: inDays(7) });
    await t.http().delete(`/v1/api-keys/${staging.id}`).set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    await reportLeaked(leaked.key);
    await whoami(ci.key);
    await whoami(billing.key);
    await new Promise((resolve) => setTimeout(resolve, 600));

    const { page } = await open({ refreshToken: user.refreshToken });
    await page.locator('#keys-body tr').first().waitFor();
    const rows = page.locator('#keys-body tr');
    const table = await Promise.all((await rows.all()).map((row) => rowCells(row)));
    expect(table.map(([name, access, , lastUsed, status]) => [name, access, lastUsed, status])).toEqual([
      [expect.stringMatching(/^Local development mgp_[0-9a-f]{8}\.\.\.$/), 'Full access', 'Never', 'Active Expires in 7 days'],
      [`Billing worker ${billing.key.slice(0, 12)}...`, 'users:read', 'Just now', 'Active Never expires'],
      [`CI pipeline ${ci.key.slice(0, 12)}...`, 'api_keys:read api_keys:write audit:read users:read', 'Just now', 'Active Expires in 30 days'],
      [`Staging deploys ${staging.key.slice(0, 12)}...`, 'Full access', 'Never', 'Revoked'],
      [`Old laptop ${leaked.key.slice(0, 12)}...`, 'Full access', 'Never', 'Revoked Reported as leaked'],
    ]);
    // Each scope is an item of its own, for the eye and for a screen reader.
    expect(await rows.nth(2).locator('.cell-access li').allTextContents()).toEqual(['api_keys:read', 'api_keys:write', 'audit:read', 'users:read']);
    expect(await page.locator('#keys-count').textContent()).toBe('3 of 10 active keys');

    mkdirSync(join(SCREENSHOT_PATH, '..'), { recursive: true });
    await page.setViewportSize({ width: 1180, height: 860 });
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
  });

  it('generates a key with only the scopes chosen and an expiry, and lists both', async () => {
    const user = await signUp(t);
    const { page } = await open({ refreshToken: user.refreshToken });
    await page.getByText('No API keys yet.').waitFor();
    const catalogue = (await t.http().get('/v1/api-keys/scopes').set('Authorization', `Bearer ${user.accessToken}`).expect(200)).body
      .scopes as { name: string; description: string }[];

    await page.getByRole('button', { name: 'Generate New Key' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Generate a new API key' });
    await createDialog.getByLabel('Name').fill('Audit exporter');
    await createDialog.getByRole('radio', { name: 'Only what I choose' }).check();
    const scopes = createDialog.getByRole('group', { name: 'Scopes' });
    await scopes.waitFor();
    // One tick per scope the API lists, each described by what it allows.
    await scopes.getByRole('checkbox').nth(catalogue.length - 1).waitFor();
    expect(await scopes.getByRole('checkbox').count()).toBe(catalogue.length);
    for (const scope of catalogue) {
      expect(await describedBy(scopes.getByRole('checkbox', { name: scope.name, exact: true }))).toBe(scope.description);
    }

    // None ticked: said next to the ticks, and nothing is sent.
    await createDialog.getByRole('button', { name: 'Generate key' }).click();
    await scopes.getByText('Choose at least one scope, or Full access.').waitFor();
    expect(await focusedElementId(page)).toBe('create-key-scope-0');
    expect(await listedKeys(user.accessToken)).toEqual([]);

    await scopes.getByRole('checkbox', { name: 'audit:read', exact: true }).check();
    expect(await scopes.locator('#create-key-scopes-error').isHidden()).toBe(true);
    await scopes.getByRole('checkbox', { name: 'api_keys:read', exact: true }).check();
    await createDialog.getByLabel('Expires').selectOption({ label: 'In 7 days' });
    expect(await createDialog.locator('#create-key-expiry-hint').textContent()).toMatch(/^It stops working on /);
    const sentAt = Date.now();
    await createDialog.getByRole('button', { name: 'Generate key' }).click();
    const revealDialog = page.getByRole('dialog', { name: 'Your new API key' });
    const key = await revealDialog.locator('#reveal-key-value').inputValue();
    expect(key).toMatch(API_KEY);
    await revealDialog.getByRole('button', { name: 'Done' }).click();

    const row = page.locator('#keys-body tr', { hasText: 'Audit exporter' });
    expect(await row.locator('.cell-access li').allTextContents()).toEqual(['api_keys:read', 'audit:read']);
    expect(await seenText(row.locator('.cell-status'))).toBe('Active Expires in 7 days');
    const [listed] = await listedKeys(user.accessToken);
    expect(listed.scopes).toEqual(['api_keys:read', 'audit:read']);
    expect(Date.parse(listed.expires_at!) - sentAt).toBeGreaterThan(7 * DAY_MS - 60_000);
    expect(Date.parse(listed.expires_at!) - sentAt).toBeLessThan(7 * DAY_MS + 60_000);

    // The key works, with what was chosen and nothing more.
    const asKey = await whoami(key);
    expect(asKey.status).toBe(200);
    expect(((await asKey.json()) as { auth: { scopes: string[] } }).auth.scopes).toEqual(['api_keys:read', 'audit:read']);
    const outOfScope = await api('/v1/users/me', { headers: { Authorization: `Bearer ${key}` } });
    expect(outOfScope.status).toBe(403);
    expect(await outOfScope.json()).toMatchObject({ code: 'insufficient_scope' });
  });

  it('rolls a key: the new one is shown once, and the old one keeps working for the 24 hours chosen', async () => {
    const user = await signUp(t);
    const old = await createScopedKey(user.accessToken, { name: 'Deploy bot', scopes: ['users:read'], expires_at: inDays(30) });
    const { page } = await open({ refreshToken: user.refreshToken });
    const rows = page.locator('#keys-body tr');
    await rows.first().waitFor();

    await page.getByRole('button', { name: 'Roll Deploy bot', exact: true }).click();
    const rollDialog = page.getByRole('dialog', { name: 'Roll “Deploy bot”?' });
    await rollDialog.waitFor();
    expect(await focusedElementId(page)).toBe('roll-key-overlap');
    const overlap = rollDialog.getByLabel('The old key stops working');
    expect(await overlap.locator('option').allTextContents()).toEqual(['Now', 'In 1 hour', 'In 24 hours', 'In 7 days']);
    expect(await selectedOptionText(overlap)).toBe('In 24 hours');
    expect(await describedBy(overlap)).toMatch(/^The old key expires in 30 days anyway, and never works past that\./);
    const rollRequest = page.waitForRequest((request) => request.url().endsWith(`/v1/api-keys/${old.id}/roll`));
    await rollDialog.getByRole('button', { name: 'Roll key' }).click();
    expect((await rollRequest).postDataJSON()).toEqual({ expires_in_s: 86_400 });

    const revealDialog = page.getByRole('dialog', { name: 'Your new API key' });
    await revealDialog.waitFor();
    expect(await revealDialog.textContent()).toContain("it won't be shown again");
    const newKey = await revealDialog.locator('#reveal-key-value').inputValue();
    expect(newKey).toMatch(API_KEY);
    expect(newKey).not.toBe(old.key);
    expect(await revealDialog.locator('#reveal-old-key').textContent()).toMatch(
      new RegExp(`^The old key ${old.key.slice(0, 12)}\\.\\.\\. stops working in 24 hours, on .+\\. Put the new key in place before then\\.$`),
    );

    // Right after the roll both keys work, with the same scopes.
    for (const key of [old.key, newKey]) {
      const asKey = await whoami(key);
      expect(asKey.status).toBe(200);
      expect(((await asKey.json()) as { auth: { scopes: string[] } }).auth.scopes).toEqual(['users:read']);
    }

    await revealDialog.getByRole('button', { name: 'Done' }).click();
    await revealDialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(newKey);
    await waitUntil(async () => (await rows.count()) === 2, 'both keys are listed');
    const oldRow = page.locator(`#keys-body tr[data-key-id="${old.id}"]`);
    expect(await seenText(oldRow.locator('.cell-status'))).toBe('Active Expires in 24 hours');
    const newRow = rows.first();
    expect(await newRow.getAttribute('data-key-id')).not.toBe(old.id);
    expect(await newRow.locator('.key-name').textContent()).toBe('Deploy bot');
    expect(await newRow.locator('.cell-access').textContent()).toBe('users:read');
    expect(await newRow.locator('.key-prefix').textContent()).toBe(`${newKey.slice(0, 12)}...`);
    // Two keys share the name now: their buttons say which is which.
    expect(await newRow.getByRole('button', { name: `Revoke Deploy bot (${newKey.slice(0, 12)}...)`, exact: true }).count()).toBe(1);
    const listedOld = (await listedKeys(user.accessToken)).find((key) => key.id === old.id)!;
    expect(Math.abs(Date.parse(listedOld.expires_at!) - (Date.now() + DAY_MS))).toBeLessThan(60_000);
    await page.locator('#activity-list li').getByText('API key “Deploy bot” rolled', { exact: true }).waitFor();
  });

  it('rolls a key with “Now”: the old key is refused at once as expired, and says so', async () => {
    const user = await signUp(t);
    const old = await createApiKey(t, user.accessToken, 'Leaky script');
    const { page } = await open({ refreshToken: user.refreshToken });
    await page.locator('#keys-body tr').first().waitFor();

    await page.getByRole('button', { name: 'Roll Leaky script', exact: true }).click();
    const rollDialog = page.getByRole('dialog', { name: 'Roll “Leaky script”?' });
    expect(await rollDialog.locator('#roll-key-overlap-hint').isHidden()).toBe(true); // it never expires
    await rollDialog.getByLabel('The old key stops working').selectOption({ label: 'Now' });
    await rollDialog.getByRole('button', { name: 'Roll key' }).click();
    const revealDialog = page.getByRole('dialog', { name: 'Your new API key' });
    const newKey = await revealDialog.locator('#reveal-key-value').inputValue();
    expect(await revealDialog.locator('#reveal-old-key').textContent()).toBe(
      `The old key ${old.key.slice(0, 12)}... has stopped working: requests that use it are refused.`,
    );

    const refused = await whoami(old.key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'api_key_expired' });
    expect((await whoami(newKey)).status).toBe(200);

    await revealDialog.getByRole('button', { name: 'Done' }).click();
    const oldRow = page.locator(`#keys-body tr[data-key-id="${old.id}"]`);
    await waitUntil(async () => (await page.locator('#keys-body tr').count()) === 2, 'both keys are listed');
    expect(await page.locator('#keys-body tr').last().getAttribute('data-key-id')).toBe(old.id); // inactive keys last
    expect(await seenText(oldRow.locator('.cell-status'))).toBe('Expired Expired just now');
    expect(await oldRow.getByRole('button').count()).toBe(0);
    expect(await page.locator('#keys-count').textContent()).toBe('1 of 10 active keys');
  });

  it('says why each inactive key stopped: revoked, or reported as leaked', async () => {
    const user = await signUp(t);
    const revoked = await createApiKey(t, user.accessToken, 'Retired worker');
    const leaked = await createApiKey(t, user.accessToken, 'Pasted in a gist');
    await createApiKey(t, user.accessToken, 'Still fine');
    const { page } = await open({ refreshToken: user.refreshToken });
    const statusOf = (id: string) => seenText(page.locator(`#keys-body tr[data-key-id="${id}"] .cell-status`));
    await page.locator('#keys-body tr').nth(2).waitFor();

    await page.getByRole('button', { name: 'Revoke Retired worker', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').getByText('“Retired worker” was revoked.', { exact: false }).waitFor();
    expect(await statusOf(revoked.id)).toBe('Revoked');

    // Someone who found the key reports it: the list says so once reloaded.
    await reportLeaked(leaked.key);
    expect(await statusOf(leaked.id)).toBe('Active Never expires');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitUntil(async () => (await statusOf(leaked.id)) === 'Revoked Reported as leaked', 'the leak shows');
    const leakedRow = page.locator(`#keys-body tr[data-key-id="${leaked.id}"]`);
    expect(await leakedRow.getByRole('button').count()).toBe(0);
    expect(await page.locator('#keys-body .key-name').allTextContents()).toEqual(['Still fine', 'Pasted in a gist', 'Retired worker']);
    expect(await page.locator('#keys-count').textContent()).toBe('1 of 10 active keys');
    expect((await whoami(leaked.key)).status).toBe(401);

    await page.reload();
    const items = page.locator('#activity-list li');
    await items.first().waitFor();
    expect(await items.first().locator('.activity-what').textContent()).toBe('API key “Pasted in a gist” revoked: reported as leaked');
    expect(await items.first().getAttribute('class')).toContain('is-warning');
  });

  it('explains the 10-active-key limit, before and after the API refuses an 11th', async () => {
    const user = await signUp(t);
    for (let i = 1; i <= 9; i++) await createApiKey(t, user.accessToken, `Worker ${i}`);
    const { page } = await open({ refreshToken: user.refreshToken });
    await page.locator('#keys-count').getByText('9 of 10 active keys').waitFor();
    const generate = page.getByRole('button', { name: 'Generate New Key' });
    expect(await generate.isEnabled()).toBe(true);

    // Another client takes the last slot while the dialog is open: the page shows the API's refusal.
    await generate.click();
    await createApiKey(t, user.accessToken, 'Worker 10');
    const refusal = await api('/v1/api-keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${user.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Worker 11' }),
    });
    expect(refusal.status).toBe(409);
    const { code, message } = (await refusal.json()) as { code: string; message: string };
    expect(code).toBe('api_key_limit_reached');

    const createDialog = page.getByRole('dialog', { name: 'Generate a new API key' });
    await createDialog.getByLabel('Name').fill('Worker 11');
    await createDialog.getByRole('button', { name: 'Generate key' }).click();
    await createDialog.getByRole('alert').getByText(message).waitFor();

    // The list was reloaded behind the dialog; once it closes, the button explains itself.
    await page.locator('#keys-count').getByText('10 of 10 active keys').waitFor();
    await createDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await generate.isDisabled()).toBe(true);
    const note = page.locator('#key-limit-note');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toMatch(/You have 10 active keys, the most allowed\. Revoke a key/);
    expect(await generate.getAttribute('aria-describedby')).toBe('key-limit-note');
    expect(await generate.getAttribute('title')).toBe(await note.textContent());
    expect(await focusedElementId(page)).toBe('keys-title');

    await page.getByRole('button', { name: 'Revoke Worker 1', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('#keys-count').getByText('9 of 10 active keys').waitFor();
    expect(await generate.isEnabled()).toBe(true);
    expect(await note.isVisible()).toBe(false);
    expect(await generate.getAttribute('aria-describedby')).toBeNull();
  });

  it('stays signed in across reloads and renews the access token before it expires', async () => {
    const user = await signUp(t);
    const observed = await open({ refreshToken: user.refreshToken, fakeClock: true });
    const { page } = observed;
    await page.locator('#account-email').getByText(user.email).waitFor();
    const firstToken = await storedRefreshToken(observed);
    expect(firstToken).not.toBe(user.refreshToken);

    await page.reload();
    await page.getByRole('heading', { name: 'API', exact: true }).waitFor();
    await page.locator('#account-email').getByText(user.email).waitFor();
    const secondToken = await storedRefreshToken(observed);
    expect(secondToken).not.toBe(firstToken);

    // The access token lives an hour; the page renews it a minute before that.
    const renewal = page.waitForResponse((response) => response.url().endsWith('/v1/auth/refresh'));
    await page.clock.fastForward('59:30');
    expect((await renewal).status()).toBe(200);
    await waitUntil(async () => (await storedRefreshToken(observed)) !== secondToken, 'the renewed token is stored');

    const reloadedList = page.waitForResponse((response) => response.url().endsWith('/v1/api-keys'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect((await reloadedList).status()).toBe(200);
    expect(await page.locator('#settings-view').isVisible()).toBe(true);
  });

  it('returns to sign-in with a notice when the refresh token no longer works', async () => {
    const stale = await open({ refreshToken: 'a-refresh-token-the-server-never-issued' });
    await stale.page.getByRole('heading', { name: 'Sign in to Magpipe' }).waitFor();
    expect(await stale.page.locator('#auth-notice').textContent()).toBe('Your session has ended, please sign in again.');
    expect(await storedEntries(stale, origin)).toEqual([]);

    // Mid-visit: the session is ended elsewhere, and the next request finds out.
    const user = await signUp(t);
    const ended = await open({ refreshToken: user.refreshToken });
    await ended.page.locator('#account-email').getByText(user.email).waitFor();
    await ended.page.getByText('No API keys yet.').waitFor();
    await ended.page.locator('#sessions-body tr').first().waitFor();
    await ended.page.locator('#activity-list li').first().waitFor();
    await t
      .http()
      .post('/v1/auth/logout')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ scope: 'global' })
      .expect(204);
    await ended.page.getByRole('button', { name: 'Refresh' }).click();
    await ended.page.getByRole('heading', { name: 'Sign in to Magpipe' }).waitFor();
    expect(await ended.page.locator('#auth-notice').textContent()).toBe('Your session has ended, please sign in again.');
    expect(await focusedElementId(ended.page)).toBe('auth-title');
    expect(await storedEntries(ended, origin)).toEqual([]);
  });

  it('lists sessions, signs out the other ones, then signs out', async () => {
    const user = await signUp(t);
    const other = await logIn(t, user.email, user.password);
    const observed = await open({ refreshToken: user.refreshToken });
    const { page } = observed;

    const sessionRows = page.locator('#sessions-body tr');
    await waitUntil(async () => (await sessionRows.count()) === 2, 'both sessions are listed');
    expect(await sessionRows.first().textContent()).toContain('This device');
    expect(await sessionRows.nth(1).textContent()).not.toContain('This device');
    expect(await sessionRows.first().locator('th').textContent()).toMatch(/^Chrome on Linux/);

    await page.getByRole('button', { name: 'Sign out other sessions' }).click();
    await page.getByRole('status').getByText('Signed out 1 other session.').waitFor();
    await waitUntil(async () => (await sessionRows.count()) === 1, 'only this session is left');
    expect(await page.getByRole('button', { name: 'Sign out other sessions' }).isDisabled()).toBe(true);
    expect((await whoami(other.accessToken)).status).toBe(401);

    const lastRefreshToken = await storedRefreshToken(observed);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Magpipe' }).waitFor();
    expect(await page.locator('#auth-notice').textContent()).toBe('You have signed out.');
    expect(await storedEntries(observed, origin)).toEqual([]);
    const refresh = await api('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: lastRefreshToken }),
    });
    expect(refresh.status).toBe(401);
  });

  it('keeps active keys first after a revoke, without a reload, and renames a key', async () => {
    const user = await signUp(t);
    await createApiKey(t, user.accessToken, 'Oldest');
    await createApiKey(t, user.accessToken, 'Middle');
    await createApiKey(t, user.accessToken, 'Newest');
    const { page } = await open({ refreshToken: user.refreshToken });
    const names = () => page.locator('#keys-body .key-name').allTextContents();
    await page.locator('#keys-body tr').nth(2).waitFor();
    expect(await names()).toEqual(['Newest', 'Middle', 'Oldest']);

    await page.getByRole('button', { name: 'Revoke Newest', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').getByText('“Newest” was revoked.', { exact: false }).waitFor();
    expect(await names()).toEqual(['Middle', 'Oldest', 'Newest']);
    expect(await seenText(page.locator('#keys-body tr').last().locator('.cell-status'))).toBe('Revoked');

    await page.getByRole('button', { name: 'Rename Middle', exact: true }).click();
    const renameDialog = page.getByRole('dialog', { name: 'Rename API key' });
    await renameDialog.waitFor();
    expect(await renameDialog.getByLabel('Name').inputValue()).toBe('Middle');
    await renameDialog.getByLabel('Name').fill('');
    await renameDialog.getByRole('button', { name: 'Save name' }).click();
    await renameDialog.locator('#rename-key-name-error').waitFor();
    await renameDialog.getByLabel('Name').fill('Deploy bot');
    await renameDialog.getByRole('button', { name: 'Save name' }).click();
    await renameDialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').getByText('“Middle” is now called “Deploy bot”.').waitFor();
    expect(await names()).toEqual(['Deploy bot', 'Oldest', 'Newest']);
    const listed = await t.http().get('/v1/api-keys').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    expect(listed.body.keys.map((key: { name: string }) => key.name)).toEqual(['Deploy bot', 'Oldest', 'Newest']);
  });

  it('signs out one other session', async () => {
    const user = await signUp(t);
    const phone = await logIn(t, user.email, user.password);
    const laptop = await logIn(t, user.email, user.password);
    const { page } = await open({ refreshToken: user.refreshToken });
    const sessionRows = page.locator('#sessions-body tr');
    await waitUntil(async () => (await sessionRows.count()) === 3, 'three sessions are listed');
    expect(await sessionRows.first().getByRole('button').count()).toBe(0); // this device: the Sign out at the top

    const phoneRow = page.locator(`#sessions-body tr[data-session-id="${phone.sessionId}"]`);
    await phoneRow.getByRole('button', { name: /^Sign out/ }).click();
    await page.getByRole('status').getByText(/^Signed out /).waitFor();
    await waitUntil(async () => (await sessionRows.count()) === 2, 'the phone is gone');
    expect((await whoami(phone.accessToken)).status).toBe(401);
    expect((await whoami(laptop.accessToken)).status).toBe(200);
    expect(await page.locator('#settings-view').isVisible()).toBe(true);
  });

  it('reaches every column and button on a 390 px wide screen', async () => {
    const user = await signUp(t);
    await logIn(t, user.email, user.password);
    await createApiKey(t, user.accessToken, 'A key with a rather long name for a narrow phone screen');
    await createScopedKey(user.accessToken, {
      name: 'Many scopes',
      scopes: ['api_keys:read', 'api_keys:write', 'audit:read', 'sessions:read', 'sessions:write', 'users:read', 'users:write'],
      expires_at: inDays(90),
    });
    const revoked = await createApiKey(t, user.accessToken, 'Revoked');
    await t.http().delete(`/v1/api-keys/${revoked.id}`).set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    const observed = await openObservedPage(browser, origin, { refreshToken: user.refreshToken });
    opened.push(observed);
    const { page } = observed;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    await page.locator('#keys-body tr').nth(2).waitFor();
    await waitUntil(async () => (await page.locator('#sessions-body tr').count()) === 2, 'both sessions are listed');

    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const reachable = page.locator(
      '#keys-body th, #keys-body td:not(:empty), #keys-body li, #keys-body button, #sessions-body th, #sessions-body td:not(:empty), ' +
        '#sessions-body button, .card-actions button, #sign-out',
    );
    expect(await reachable.count()).toBeGreaterThan(15);
    for (const element of await reachable.all()) {
      // Scrolled to vertically only: nothing may need a sideways scroll to be reached.
      await element.evaluate('(node) => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - 100)');
      const box = (await element.boundingBox())!;
      const what = (await element.textContent())?.trim();
      expect({ what, left: box.x >= 0, right: box.x + box.width <= 390 }).toEqual({ what, left: true, right: true });
    }
    // The column names are still said, next to each value.
    expect(
      await page.evaluate<string>(`getComputedStyle(document.querySelector('#keys-body .cell-last-used'), '::before').content`),
    ).toBe('"Last used"');
    await page.screenshot({ path: join(SCREENSHOT_PATH, '..', 'settings-api-390.png'), fullPage: true });
    await page.getByRole('button', { name: /^Rename A key/ }).click();
    await page.getByRole('dialog', { name: 'Rename API key' }).waitFor();
  });

  it('shows the security activity in words, newest first, with Load more, and follows changes made on the page', async () => {
    const user = await signUp(t);
    const ci = await createApiKey(t, user.accessToken, 'CI Pipeline');
    await t.http().post('/v1/auth/login').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0').send({ email: user.email, password: 'not it at all' }).expect(401);
    for (let i = 0; i < 22; i++) {
      await t.http().patch(`/v1/api-keys/${ci.id}`).set('Authorization', `Bearer ${ci.key}`).send({ name: 'CI Pipeline' }).expect(200);
    }
    await t.http().delete(`/v1/api-keys/${ci.id}`).set('Authorization', `Bearer ${user.accessToken}`).expect(200);

    const { page } = await open({ refreshToken: user.refreshToken });
    const items = page.locator('#activity-list li');
    await items.first().waitFor();
    expect(await items.count()).toBe(20);
    expect(await items.first().locator('.activity-what').textContent()).toBe('API key “CI Pipeline” revoked');
    expect(await items.first().locator('.activity-where').textContent()).toMatch(/^from [0-9a-f.:]+, .+, Just now$/);
    expect(await items.nth(1).locator('.activity-what').textContent()).toBe('API key “CI Pipeline” renamed, with API key “CI Pipeline”');

    await page.getByRole('button', { name: 'Load more' }).click();
    await waitUntil(async () => (await items.count()) > 20, 'the next page is shown');
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);
    const words = await page.locator('#activity-list .activity-what').allTextContents();
    expect(words.slice(-3)).toEqual(['Failed sign-in: wrong password', 'API key “CI Pipeline” created', 'Account created']);
    const failed = page.locator('#activity-list li[data-event-type="user.login_failed"]');
    expect(await failed.locator('.activity-where').textContent()).toContain('Firefox on Linux');

    await page.getByRole('button', { name: 'Generate New Key' }).click();
    await page.getByRole('dialog', { name: 'Generate a new API key' }).getByLabel('Name').fill('Nightly backup');
    await page.getByRole('button', { name: 'Generate key' }).click();
    await page.getByRole('dialog', { name: 'Your new API key' }).getByRole('button', { name: 'Done' }).click();
    await page.locator('#activity-list li').first().getByText('API key “Nightly backup” created').waitFor();
  });

  describe('the account lifecycle', () => {
    const latestLink = async (email: string, count: number) => (await waitForMail(() => outboxFiles(t.outboxDir), email, count)).at(-1)!.link!;

    it('resets a forgotten password by the link in the mail', async () => {
      const user = await signUp(t);
      const { page } = await open();
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await page.locator('#forgot-view').getByLabel('Email').fill(user.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.locator('#forgot-notice').getByText('If this email has an account', { exact: false }).waitFor();

      const link = await latestLink(user.email, 2);
      expect(link.startsWith(`${origin}/#reset-password?token=`)).toBe(true);
      // As from a new tab: the page loads with the link (the verification test follows one in an open tab).
      await page.goto('about:blank');
      await page.goto(link);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      expect(page.url()).toBe(`${origin}/`); // the token is out of the address bar and the history
      await page.locator('#reset-view').getByLabel('New password', { exact: true }).fill('password1');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page.locator('#reset-password-error, #reset-form-error').getByText('too common', { exact: false }).first().waitFor();
      await page.locator('#reset-view').getByLabel('New password', { exact: true }).fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page.locator('#auth-notice').getByText('Your password is set', { exact: false }).waitFor();

      await page.locator('#auth-view').getByLabel('Email').fill(user.email);
      await page.locator('#auth-view').getByLabel('Password').fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'API', exact: true }).waitFor();
      expect((await whoami(user.accessToken)).status).toBe(401);
      // The reset proved the address: no banner.
      expect(await page.locator('#verify-banner').isHidden()).toBe(true);
    });

    it('shows a banner until the email is verified, resends the link, and verifies by it', async () => {
      const email = uniqueEmail();
      const { page } = await open();
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.locator('#auth-view').getByLabel('Email').fill(email);
      await page.locator('#auth-view').getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      const banner = page.getByRole('region', { name: 'Email verification' });
      await banner.waitFor();
      expect(await banner.textContent()).toContain(email);
      await latestLink(email, 1);

      await banner.getByRole('button', { name: 'Resend the link' }).click();
      await page.getByRole('status').getByText('A new link is on its way', { exact: false }).waitFor();
      const link = await latestLink(email, 2);
      await page.goto(link); // only the hash changes: the open page follows it
      await page.getByRole('status').getByText('Your email is verified.').waitFor();
      expect(await page.locator('#verify-banner').isHidden()).toBe(true);
      await page.locator('#activity-list li').first().getByText('Email verified').waitFor();
      expect(page.url()).toBe(`${origin}/`);
    });

    it('changes the password, which signs out the other sessions', async () => {
      const user = await signUp(t);
      const other = await logIn(t, user.email, user.password);
      const { page } = await open({ refreshToken: user.refreshToken });
      await page.getByRole('button', { name: 'Change password' }).click();
      const dialog = page.getByRole('dialog', { name: 'Change your password' });
      await dialog.getByLabel('Current password').fill('not my password');
      await dialog.getByLabel('New password').fill('an even better passphrase');
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.locator('#change-current-error').getByText('The password is not right').waitFor();
      await dialog.getByLabel('Current password').fill(user.password);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').getByText('Your password is changed.', { exact: false }).waitFor();
      await page.locator('#activity-list li').first().getByText('Password changed').waitFor();
      expect((await whoami(other.accessToken)).status).toBe(401);
      expect(await page.locator('#settings-view').isVisible()).toBe(true);
    });

    it('deletes the account after asking for the password', async () => {
      const user = await signUp(t);
      const { key } = await createApiKey(t, user.accessToken);
      const observed = await open({ refreshToken: user.refreshToken });
      const { page } = observed;
      await page.getByRole('button', { name: 'Delete account' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Delete your account?' });
      expect(await focusedElementText(page)).toBe('Cancel');
      await dialog.getByLabel('Your password, to confirm').fill('wrong password');
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await dialog.locator('#delete-password-error').getByText('The password is not right').waitFor();
      await dialog.getByLabel('Your password, to confirm').fill(user.password);
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await page.locator('#auth-notice').getByText('Your account is deleted.', { exact: false }).waitFor();
      expect(await storedEntries(observed, origin)).toEqual([]);
      expect((await whoami(key)).status).toBe(401);
      const login = await api('/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(login.status).toBe(401);
    });
  });

  async function storedRefreshToken(observed: ObservedPage): Promise<string | undefined> {
    return (await storedEntries(observed, origin)).find((entry) => entry.name === REFRESH_TOKEN_STORAGE_KEY)?.value;
  }
});

interface ListedKey {
  id: string;
  name: string;
  scopes: string[];
  expires_at: string | null;
}

const DAY_MS = 24 * 3600 * 1000;

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

/** The text of the elements a control's aria-describedby names, as a screen reader reads it after the name. */
async function describedBy(control: Locator): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => control.page().locator(`#${id}`).textContent()));
  return texts.map((text) => (text ?? '').trim().replace(/\s+/g, ' ')).filter(Boolean).join(' ');
}

async function selectedOptionText(select: Locator): Promise<string> {
  const value = await select.inputValue();
  return ((await select.locator(`option[value="${value}"]`).textContent()) ?? '').trim();
}

function focusedElementId(page: Page): Promise<string> {
  return page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');
}

function focusedElementText(page: Page): Promise<string> {
  return page.evaluate<string>('document.activeElement ? document.activeElement.textContent.trim() : ""');
}

/** Each cell as it reads on screen: lines and spaces collapsed to one space. */
async function rowCells(row: Locator): Promise<string[]> {
  return (await row.locator('th, td').allInnerTexts()).map(collapseSpace);
}

async function seenText(element: Locator): Promise<string> {
  return collapseSpace(await element.innerText());
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
