import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { BenchModule } from './bench/bench.module';
import { configModule, EnvOverrides, readConfig } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** `overrides` replace environment variables (tests use them instead of changing the environment). */
  static forRoot(overrides: EnvOverrides = {}): DynamicModule {
    const config = readConfig(overrides);
    return {
      module: AppModule,
      imports: [
        configModule(config),
        LoggingModule,
        CommonModule,
        DatabaseModule,
        HealthModule,
        UsersModule,
        ApiKeysModule,
        AuthModule,
        ...(config.bench.routes ? [BenchModule] : []),
      ],
    };
  }
}
