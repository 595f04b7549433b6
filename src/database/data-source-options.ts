import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ApiKey } from '../api-keys/api-key.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Session } from '../auth/session.entity';
import { User } from '../users/user.entity';
import { migrations } from '../../migrations';
import { singleConnectionPGliteDriver } from './single-connection-pglite.pool';
import { QueryCountingLogger } from './query-counting.logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const entities = [User, Session, RefreshToken, ApiKey];

/**
 * The one description of the database, used by the app and by the TypeORM CLI
 * (ormconfig.ts). Schema changes come only from migrations.
 */
export function buildDataSourceOptions(database: AppConfig['database']): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Honoured by DatabaseModule under an advisory lock, never by TypeORM itself.
    migrationsRun: database.migrationsRun,
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logger: new QueryCountingLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (database.kind === 'server') {
    return {
      ...common,
      url: database.url,
      poolSize: database.poolSize,
      connectTimeoutMS: 5000,
      applicationName: 'magpipe-auth',
    };
  }
  return { ...common, driver: singleConnectionPGliteDriver(database), poolSize: 1 };
}
