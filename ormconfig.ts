/**
 * The TypeORM CLI's data source (migration:generate, run, revert), built like
 * the app's. Importing the AppModule defines every feature module, and with
 * them the entities and migrations they declare: the same list as the app's.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import './src/app.module';
import { readConfig } from './src/config/config.module';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { declaredEntities } from './src/database/feature-schema';

export default new DataSource(buildDataSourceOptions(readConfig().database, declaredEntities()));
