import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseModule } from '../database/database.module';
import { ApiKey } from './api-key.entity';
import { ApiKeyVerifier } from './api-key.verifier';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { LastUsedRecorder } from './last-used.recorder';

@Module({
  imports: [DatabaseModule.forFeature({ entities: [ApiKey] }), AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyVerifier, LastUsedRecorder],
  exports: [ApiKeyVerifier, ApiKeysService],
})
export class ApiKeysModule {}
