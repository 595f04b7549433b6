import { DataSourceOptions, MigrationInterface } from 'typeorm';
import { migrations as projectMigrations } from '../../migrations';
import { AppConfig } from '../config/app-config';
import { singleConnectionPGliteDriver } from '../platform/embedded-database/embedded-database.pool';
import { declaredMigrations } from './feature-schema';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TypeOrmLogger } from './typeorm-logger';

/**
 * The one description of the database, used by the app and by the TypeORM CLI
 * (ormconfig.ts). Entities come from the feature modules (the app loads them
 * through `autoLoadEntities`, the CLI passes them); schema changes come only
 * from migrations.
 */
export function buildDataSourceOptions(database: AppConfig['database'], entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: [...projectMigrations, ...declaredMigrations()] as (new () => MigrationInterface)[],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Honoured by DatabaseModule under an advisory lock, never by TypeORM itself.
    migrationsRun: database.migrationsRun,
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (database.kind === 'server') {
    return {
      ...common,
      url: database.url,
      poolSize: database.poolSize,
      connectTimeoutMS: 5000,
      applicationName: 'magpipe-auth',
      // The kernel probes idle connections, so that one a network dropped silently is found and replaced.
      extra: { keepAlive: true },
    };
  }
  return { ...common, driver: singleConnectionPGliteDriver(database), poolSize: 1 };
}
