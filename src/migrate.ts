/**
 * `node dist/src/migrate.js`: applies pending migrations and exits, for a
 * deployment that migrates in a step of its own and runs its instances with
 * `DB_MIGRATIONS_RUN=false` (see docker-compose.yml). It takes the same
 * advisory lock as a booting instance, so running both is safe too.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import './app.module';
import { readConfig } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { declaredEntities } from './database/feature-schema';
import { runMigrationsLocked } from './database/run-migrations-locked';
import { createRootLogger } from './platform/logging/root-logger';

async function migrate(): Promise<void> {
  const config = readConfig();
  const logger = createRootLogger(config.logging);
  // The lock, not TypeORM, runs them.
  const dataSource = new DataSource({ ...buildDataSourceOptions(config.database, declaredEntities()), migrationsRun: false });
  await dataSource.initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    logger.info({ applied }, applied.length > 0 ? `Applied ${applied.length} migration(s)` : 'No migration was pending');
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  createRootLogger({ level: 'info' }).fatal({ err: error }, error instanceof Error ? error.message : 'Could not migrate');
  process.exit(1);
});
