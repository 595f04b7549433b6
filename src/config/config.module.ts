import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config';

export type EnvOverrides = Record<string, string | undefined>;

/**
 * The only place that reads `process.env`. Tests pass overrides instead of
 * mutating the environment.
 */
export function readConfig(overrides: EnvOverrides = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}

/** Serves an already validated configuration through `ConfigService<AppConfig, true>`. */
export function configModule(config: AppConfig): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    load: [() => config],
  });
}
