import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadConfig } from './app-config';

export type EnvOverrides = Record<string, string | undefined>;

/**
 * The only place that reads `process.env`. Tests pass overrides instead of
 * mutating the environment.
 */
export function configModule(overrides: EnvOverrides = {}): Promise<DynamicModule> {
  const config = loadConfig({ ...process.env, ...overrides });
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    load: [() => config],
  });
}

/** For scripts (migrations CLI, openapi) that need the config outside Nest. */
export function readConfig(overrides: EnvOverrides = {}) {
  return loadConfig({ ...process.env, ...overrides });
}
