import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/run-migrations-locked';
import { startTestApp, TestApp } from './support/test-app';
import { createTestDatabase, serverUrl } from './support/test-database';

describe('Schema', () => {
  describe('after migrating', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('matches the entities: no pending schema change', async () => {
      const sql = await t.dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('has no pending migrations', async () => {
      expect(await t.dataSource.showMigrations()).toBe(false);
    });

    it('reverts and re-applies every migration', async () => {
      const runner = t.dataSource.createQueryRunner();
      try {
        for (let i = 0; i < t.dataSource.migrations.length; i++) await t.dataSource.undoLastMigration();
        expect(await runner.hasTable('users')).toBe(false);
      } finally {
        await runner.release();
      }
      await runMigrationsLocked(t.dataSource);
      expect(await t.dataSource.showMigrations()).toBe(false);
    });
  });

  (serverUrl() ? describe : describe.skip)('instances starting together on one server database', () => {
    it('run each migration exactly once', async () => {
      const database = await createTestDatabase();
      const sources = [1, 2, 3].map(
        () =>
          new DataSource({
            ...buildDataSourceOptions({ kind: 'server', url: database.url!, poolSize: 2, migrationsRun: false }),
          }),
      );
      try {
        await Promise.all(sources.map((source) => source.initialize()));
        const applied = await Promise.all(sources.map((source) => runMigrationsLocked(source)));
        expect(applied.flat()).toHaveLength(sources[0].migrations.length);
        const rows = await sources[0].query(`SELECT name FROM migrations`);
        expect(rows).toHaveLength(sources[0].migrations.length);
      } finally {
        await Promise.all(sources.filter((source) => source.isInitialized).map((source) => source.destroy()));
        await database.drop();
      }
    });
  });
});
