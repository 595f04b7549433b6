import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { initEmbeddedDataDir } from '../platform/embedded-database/embedded-database.pool';
import { buildDataSourceOptions } from './data-source-options';
import { describeStartupFailure, isWorthRetryingAtBoot } from './database-errors';
import { DatabaseHealth } from './database-health';
import { declareFeatureSchema, FeatureSchema } from './feature-schema';
import { DatabaseNotifications } from './notifications';
import { runMigrationsLocked } from './run-migrations-locked';
import { Transactions } from './transactions';

/** The database could not be reached at boot: what is wrong, and whether waiting may cure it. */
export class DatabaseStartupError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DatabaseStartupError';
  }
}

async function createDataSource(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) throw new Error('DataSource options are required');
  let dataSource: DataSource;
  try {
    dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  } catch (error) {
    if (!('url' in options) || typeof options.url !== 'string') throw error;
    throw new DatabaseStartupError(describeStartupFailure(error, options.url), isWorthRetryingAtBoot(error));
  }
  if (options.migrationsRun) {
    const applied = await runMigrationsLocked(dataSource);
    if (applied.length > 0) new Logger('Database').log({ migrations: applied }, 'Applied migrations');
  }
  return dataSource;
}

/**
 * The connection, migrations at boot, transactions and notifications. It
 * knows no feature: each feature module brings its own entities (and, for a
 * module outside the project's own history, its migrations) with `forFeature`.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: async (config: ConfigService<AppConfig, true>) => {
            const database = config.get('database', { infer: true });
            if (database.kind === 'embedded') await initEmbeddedDataDir(database.dataDir);
            return {
              ...buildDataSourceOptions(database),
              autoLoadEntities: true,
              // A server that is still starting gets about 10 s; a missing database or a wrong password, none.
              retryAttempts: 5,
              retryDelay: 2000,
              toRetry: (error: unknown) => error instanceof DatabaseStartupError && error.retryable,
            };
          },
          dataSourceFactory: createDataSource,
        }),
      ],
      providers: [Transactions, DatabaseNotifications, DatabaseHealth],
      exports: [Transactions, DatabaseNotifications, DatabaseHealth],
    };
  }

  /** A feature's tables: its entities' repositories to inject, and its migrations, if it ships any. */
  static forFeature(schema: FeatureSchema): DynamicModule {
    declareFeatureSchema(schema);
    return TypeOrmModule.forFeature(schema.entities);
  }
}
