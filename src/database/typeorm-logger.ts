import { Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'typeorm';

/** TypeORM's own warnings and slow queries, through the app's logger; never SQL or parameters. */
export class TypeOrmLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

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
