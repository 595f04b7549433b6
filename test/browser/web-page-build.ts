import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * Builds the page into dist/web with the same npm script as `npm run build`, so the spec
 * never runs against missing or stale assets. Synchronous: it must finish before the app boots.
 */
export function buildWebPage(): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build:web failed:\n${String(stdout ?? '')}${String(stderr ?? '')}`);
  }
}
