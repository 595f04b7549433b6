import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logger: counts queries (the benchmark reports queries per
 * request) and passes TypeORM's own warnings to the app's logger. It never
 * logs SQL or parameters.
 */
export class QueryCountingLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');
  queries = 0;

  logQuery(): void {
    this.queries++;
  }

  logQueryError(): void {
    // The caller gets the error and decides; the exception filter logs what matters.
  }

  logQuerySlow(time: number): void {
    this.logger.warn({ durationMs: time }, 'Slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
