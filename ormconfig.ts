/** The TypeORM CLI's data source (migration:generate, run, revert), built like the app's. */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readConfig } from './src/config/config.module';
import { buildDataSourceOptions } from './src/database/data-source-options';

export default new DataSource(buildDataSourceOptions(readConfig().database));
