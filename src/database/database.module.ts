import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { InvalidationBus } from './invalidation-bus';
import { initEmbeddedDataDir } from './single-connection-pglite.pool';
import { runMigrationsLocked } from './run-migrations-locked';

async function createDataSource(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) throw new Error('DataSource options are required');
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (options.migrationsRun) {
    const applied = await runMigrationsLocked(dataSource);
    if (applied.length > 0) new Logger('Database').log({ migrations: applied }, 'Applied migrations');
  }
  return dataSource;
}

@Global()
@Module({
  providers: [InvalidationBus],
  exports: [InvalidationBus],
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AppConfig, true>) => {
        const database = config.get('database', { infer: true });
        if (database.kind === 'embedded') await initEmbeddedDataDir(database.dataDir);
        return buildDataSourceOptions(database);
      },
      dataSourceFactory: createDataSource,
    }),
  ],
})
export class DatabaseModule {}
