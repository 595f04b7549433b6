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
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).auth.jwtSecret).toBe('s'.repeat(32));
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
