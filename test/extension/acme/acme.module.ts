import { Module } from '@nestjs/common';
import { AuditModule } from '../../../src/audit/audit.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { CreateAcmeWidgets1765000000000 } from './migrations/1765000000000-CreateAcmeWidgets';
import { Widget } from './widget.entity';
import { WidgetsController } from './widgets.controller';
import { ReportsController } from './reports.controller';
import { WidgetsRepository } from './widgets.repository';
import { WidgetsService } from './widgets.service';

/**
 * An enterprise team's module, as docs/EXTENDING.md describes it: its own
 * table and migration, error code, audit event type, protected routes and a
 * public one, all in this folder. The deployment adds it to the AppModule's features.
 */
@Module({
  imports: [DatabaseModule.forFeature({ entities: [Widget], migrations: [CreateAcmeWidgets1765000000000] }), AuditModule],
  controllers: [WidgetsController, ReportsController],
  providers: [WidgetsRepository, WidgetsService],
})
export class AcmeModule {}
