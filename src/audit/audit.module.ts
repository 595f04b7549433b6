import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { AuditEvent } from './audit-event.entity';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditLog } from './audit-log';
import { AuditRetention } from './audit-retention';
import { AuditController } from './audit.controller';

/**
 * Security activity: the audit log every module writes its events to, in the
 * same transaction as the change, and the route that reads it. See
 * docs/EXTENDING.md for a module's own event types.
 */
@Module({
  imports: [DatabaseModule.forFeature({ entities: [AuditEvent] })],
  controllers: [AuditController],
  providers: [AuditEventsRepository, AuditLog, AuditRetention],
  exports: [AuditLog],
})
export class AuditModule {}
