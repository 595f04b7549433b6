/**
 * A service that cannot start says why, in one JSON line that names the
 * setting, and exits; it never shows a password.
 */
import { spawn } from 'node:child_process';
import { freePort, ROOT } from './support/app-process';
import { serverUrl } from './support/test-database';

jest.setTimeout(60_000);

interface Exit {
  code: number | null;
  /** stdout, where every line is JSON. */
  lines: Record<string, unknown>[];
  /** stdout and stderr. */
  output: string;
}

function start(env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', JWT_SECRET: 'startup-test-secret-of-at-least-32-bytes', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), (output += chunk.toString())));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return { notJson: line };
          }
        });
      resolve({ code, lines, output });
    });
  });
}

/** The fatal lines, once every line has been checked to be JSON. */
const fatal = (exit: Exit) => {
  expect(exit.lines.filter((line) => 'notJson' in line)).toEqual([]);
  return exit.lines.filter((line) => line.level === 60);
};

describe('Starting with a database that cannot be used', () => {
  it('refuses a DATABASE_URL that is not a PostgreSQL URL at once, naming the variable', async () => {
    const exit = await start({ DATABASE_URL: 'notaurl' });
    expect(exit.code).toBe(1);
    expect(fatal(exit)).toEqual([expect.objectContaining({ msg: expect.stringMatching(/DATABASE_URL: must be a PostgreSQL URL/) })]);
    expect(exit.output).not.toContain('notaurl');
  });

  it('says which server it cannot reach, after a few tries, and never the password', async () => {
    const port = await freePort();
    const exit = await start({ DATABASE_URL: `postgres://ada:s3cret-pass@127.0.0.1:${port}/magpipe` });
    expect(exit.code).toBe(1);
    expect(fatal(exit)).toEqual([
      expect.objectContaining({ msg: `DATABASE_URL: cannot connect to 127.0.0.1:${port} (ECONNREFUSED)` }),
    ]);
    expect(exit.output).not.toContain('s3cret-pass');
  });

  (serverUrl() ? it : it.skip)('says that a database does not exist, and how to create it, without retrying (server only)', async () => {
    const url = new URL(serverUrl()!);
    url.pathname = '/mgp_does_not_exist';
    const exit = await start({ DATABASE_URL: url.toString() });
    expect(exit.code).toBe(1);
    expect(fatal(exit)).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/^DATABASE_URL: database "mgp_does_not_exist" does not exist on .*createdb mgp_does_not_exist/) }),
    ]);
    expect(exit.output).not.toMatch(/Retrying/);
  });
});
