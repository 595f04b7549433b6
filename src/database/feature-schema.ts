import { MigrationInterface } from 'typeorm';

type EntityClass = abstract new (...args: never[]) => object;
type MigrationClass = new () => MigrationInterface;

/**
 * What the feature modules of this process have declared through
 * `DatabaseModule.forFeature`: their entities and the migrations that ship
 * with them. A module declares them when it is defined (imported), so the
 * TypeORM CLI, which imports the AppModule without starting it, sees the same
 * list as the app.
 */
const entities = new Set<EntityClass>();
const migrations = new Set<MigrationClass>();

export interface FeatureSchema {
  entities: EntityClass[];
  /** Migrations of a module outside the project's own history (`migrations/`), such as an extension's. */
  migrations?: MigrationClass[];
}

export function declareFeatureSchema(schema: FeatureSchema): void {
  for (const entity of schema.entities) entities.add(entity);
  for (const migration of schema.migrations ?? []) migrations.add(migration);
}

export const declaredEntities = (): EntityClass[] => [...entities];
export const declaredMigrations = (): MigrationClass[] => [...migrations];
