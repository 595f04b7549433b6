import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The service running as its own process, as in production. */
export interface AppProcess {
  url: string;
  pid: number;
  /** Where its mail goes as .eml files (a folder of its own unless `MAIL_OUTBOX_DIR` was given), removed by `stop`. */
  outboxDir: string;
  stop(): Promise<void>;
}

export const ROOT = join(__dirname, '..', '..');

/**
 * `src/main.ts` through ts-node (no build needed), the built `dist/src/main.js`,
 * or the built service with the bench's routes (test/bench/bench-server.ts).
 */
export type AppEntry = 'source' | 'built' | 'bench';

const ENTRY_ARGS: Record<AppEntry, string[]> = {
  source: ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
  built: ['dist/src/main.js'],
  bench: ['dist/bench/test/bench/bench-server.js'],
};

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the service and resolves once GET /health answers 200. */
export async function startAppProcess(env: Record<string, string>, entry: AppEntry = 'source', host = '127.0.0.1'): Promise<AppProcess> {
  const port = await freePort();
  const ownOutbox = env.MAIL_OUTBOX_DIR ? undefined : mkdtempSync(join(tmpdir(), 'mgp-outbox-'));
  const outboxDir = env.MAIL_OUTBOX_DIR ?? ownOutbox!;
  const child: ChildProcess = spawn(process.execPath, ENTRY_ARGS[entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', MAIL_OUTBOX_DIR: outboxDir, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const failure =
      child.exitCode !== null ? `the service exited (${child.exitCode}): ${stderr}`
      : Date.now() > deadline ? `the service did not answer /health in time: ${stderr}`
      : undefined;
    if (failure) {
      child.kill('SIGKILL');
      if (ownOutbox) rmSync(ownOutbox, { recursive: true, force: true });
      throw new Error(failure);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    outboxDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownOutbox) rmSync(ownOutbox, { recursive: true, force: true });
    },
  };
}
