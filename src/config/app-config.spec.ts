import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  const tempDir = () => mkdtempSync(join(tmpdir(), 'mgp-config-'));

  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: tempDir() });
    expect(config.http.port).toBe(3000);
    expect(config.database).toEqual(expect.objectContaining({ kind: 'embedded', optimize: 'memory', migrationsRun: true }));
    expect(config.auth).toEqual(
      expect.objectContaining({ rateLimitMax: 10, rateLimitWindowS: 60, accessTokenTtlS: 3600, refreshReuseGraceS: 10 }),
    );
    expect(config.apiKeys.activeLimit).toBe(10);
    expect(config.apiKeys.lastUsedFlushMs).toBeLessThanOrEqual(5000);
    expect(config.logging.level).toBe('info');
  });

  it('uses the server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db/app', JWT_SECRET: 'x'.repeat(32), DB_MIGRATIONS_RUN: 'false' });
    expect(config.database).toEqual({ kind: 'server', url: 'postgres://db/app', poolSize: 10, migrationsRun: false });
  });

  it('lets the embedded database trade memory for speed', () => {
    expect(loadConfig({ DATA_DIR: tempDir(), EMBEDDED_DB_OPTIMIZE: 'speed' }).database).toEqual(
      expect.objectContaining({ kind: 'embedded', optimize: 'speed' }),
    );
    expect(() => loadConfig({ DATA_DIR: tempDir(), EMBEDDED_DB_OPTIMIZE: 'fast' })).toThrow(/EMBEDDED_DB_OPTIMIZE:/);
  });

  it('names every bad variable in one clear error', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', API_KEY_LIMIT: '0', DATA_DIR: tempDir() });
    expect(attempt).toThrow(ConfigValidationError);
    expect(attempt).toThrow(/PORT:[\s\S]*API_KEY_LIMIT:[\s\S]*LOG_LEVEL:/);
  });

  it('requires a JWT secret of at least 32 bytes in production', () => {
    const mail = { MAIL_OUTBOX_ONLY: 'true' };
    expect(() => loadConfig({ NODE_ENV: 'production', ...mail })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short', ...mail })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32), ...mail }).auth.jwtSecret).toBe('s'.repeat(32));
  });

  it('refuses to start in production without SMTP_URL, unless MAIL_OUTBOX_ONLY says so, and never shows the SMTP password', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) };
    expect(() => loadConfig(production)).toThrow(/SMTP_URL: required when NODE_ENV=production, unless MAIL_OUTBOX_ONLY=true/);
    expect(loadConfig({ ...production, MAIL_OUTBOX_ONLY: 'true' }).mail.smtpUrl).toBeUndefined();
    expect(loadConfig({ ...production, SMTP_URL: 'smtps://u:p@smtp.example.com:465' }).mail.smtpUrl).toBe('smtps://u:p@smtp.example.com:465');
    const bad = () => loadConfig({ ...production, SMTP_URL: 'http://u:hunter2@smtp.example.com' });
    expect(bad).toThrow(/SMTP_URL: must be a URL such as smtps:/);
    expect(bad).not.toThrow(/hunter2/);
  });

  it('builds links from PUBLIC_URL, by default the local port', () => {
    expect(loadConfig({ DATA_DIR: tempDir(), PORT: '8080' }).mail.publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ DATA_DIR: tempDir(), PUBLIC_URL: 'https://auth.example.com/' }).mail.publicUrl).toBe('https://auth.example.com');
    expect(() => loadConfig({ DATA_DIR: tempDir(), PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
  });

  it('generates a development secret once and keeps it under DATA_DIR', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir }).auth.jwtSecret;
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).auth.jwtSecret).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first);
  });

  it('turns every runtime trick on by default, and each off by its own switch', () => {
    const dir = tempDir();
    expect(Object.values(loadConfig({ DATA_DIR: dir }).tuning).every((on) => on === true)).toBe(true);
    const off = loadConfig({ DATA_DIR: dir, TUNE_CONNECTION_MEMO: 'false', TUNE_EMBEDDED_DB_THREAD: 'no', TUNE_THREAD_PRIORITIES: '0' });
    expect(off.tuning).toEqual(
      expect.objectContaining({ connectionMemo: false, embeddedDatabaseThread: false, threadPriorities: false, compiledSerializers: true }),
    );
    expect(off.database).toEqual(expect.objectContaining({ ownThread: false, lowerPriority: false }));
  });
});
