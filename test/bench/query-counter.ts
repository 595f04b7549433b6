import { DataSource, Logger } from 'typeorm';

/**
 * Counts the statements TypeORM runs, for the bench's "queries per request":
 * it wraps the data source's own logger, which TypeORM asks for every query.
 */
export class QueryCounter {
  queries = 0;

  static install(dataSource: DataSource): QueryCounter {
    const counter = new QueryCounter();
    const logger: Logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (...args) => {
      counter.queries++;
      logQuery(...args);
    };
    return counter;
  }
}
