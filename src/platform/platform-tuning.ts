/**
 * The process-wide runtime tuning, applied once at boot, before any thread,
 * database or server starts. Each trick has its own switch (TuningConfig);
 * BENCHMARKS.md says what each one buys.
 */
import { setFlagsFromString } from 'node:v8';
import { AppConfig } from '../config/app-config';
import { startLibuvThreadPool } from './libuv-thread-pool';

let applied = false;

export function applyPlatformTuning(config: AppConfig): void {
  if (applied) return;
  applied = true;
  if (config.tuning.libuvPrestart) startLibuvThreadPool();
  if (config.database.kind === 'embedded' && config.database.optimize === 'memory') compileWebAssemblyForMemory();
}

/**
 * V8 compiles WebAssembly with a baseline compiler, then recompiles hot
 * functions with its optimising one; for PGlite's 9 MB module that second
 * tier costs about 70 MB of resident memory for the process's life. V8 reads
 * the flag when it compiles a module, so it is set before PGlite's first.
 */
function compileWebAssemblyForMemory(): void {
  setFlagsFromString('--liftoff-only');
}
