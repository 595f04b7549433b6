import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { Logger } from 'pino';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/app-config';
import { configModule } from './config/config.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DatabaseModule } from './database/database.module';
import { MetricsModule } from './metrics/metrics.module';
import { HealthModule } from './health/health.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { LoggingModule } from './platform/logging/logging.module';
import { emailOfBody } from './users/email';
import { UsersModule } from './users/users.module';

/** The service's modules. An extension module is added to `FEATURES` (see docs/EXTENDING.md). */
const FEATURES = [HealthModule, UsersModule, AuditModule, ApiKeysModule, AuthModule, MetricsModule];

@Module({})
export class AppModule {
  /**
   * `config` is read once, at boot; `logger` is the one root logger. `extra`
   * modules join the service's own (the bench's routes, a test's module).
   */
  static forRoot(config: AppConfig, logger: Logger, extra: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(config),
        LoggingModule.forRoot(logger),
        CommonModule,
        DatabaseModule.forRoot(),
        CredentialsModule,
        RateLimitsModule.forRoot({ subjectOf: emailOfBody }),
        ...FEATURES,
        ...extra,
      ],
    };
  }
}
