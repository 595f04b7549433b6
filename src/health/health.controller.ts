import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { ApiException } from '../common/errors/api-exception';
import { Public } from '../credentials/auth.decorators';
import { DatabaseHealth } from '../database/database-health';
import { DatabaseNotifications } from '../database/notifications';

const PING_TIMEOUT_MS = 2000;

export class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
  @ApiProperty({ enum: ['up'], example: 'up' })
  database: 'up';
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}

export class ReadyDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
  @ApiProperty({ enum: ['up'], example: 'up' })
  database: 'up';
  @ApiProperty({ enum: ['applied'], example: 'applied' })
  migrations: 'applied';
  @ApiProperty({ enum: ['listening'], example: 'listening', description: 'The connection that hears revocations from other instances' })
  listener: 'listening';
}

const notReady = (why: string) => new ApiException('service_unavailable', `Not ready: ${why}`);

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  /** Once every migration has been seen applied; they are not taken back while the service runs. */
  private migrationsApplied = false;

  constructor(
    private readonly database: DatabaseHealth,
    private readonly notifications: DatabaseNotifications,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Liveness and a database round trip' })
  @ApiErrors('service_unavailable')
  async check(): Promise<HealthDto> {
    if (!(await this.database.answers(PING_TIMEOUT_MS))) {
      throw new ApiException('service_unavailable', 'The database cannot be reached');
    }
    return { status: 'ok', database: 'up' };
  }

  @Get('live')
  @ApiOperation({
    operationId: 'healthLive',
    summary: 'Liveness: the process answers',
    description: 'Touches no database, so that a database outage does not get every instance restarted.',
  })
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'healthReady',
    summary: 'Readiness: this instance should take traffic',
    description:
      'Only when the database answers, every migration is applied, and the connection that hears revocations from other ' +
      'instances is listening (without it, this instance could serve a revoked key); 503 `service_unavailable` otherwise.',
  })
  @ApiErrors('service_unavailable')
  async ready(): Promise<ReadyDto> {
    if (!(await this.database.answers(PING_TIMEOUT_MS))) throw notReady('the database cannot be reached');
    if (!this.migrationsApplied) {
      const pending = await this.dataSource.showMigrations().catch(() => true);
      if (pending) throw notReady('migrations are pending');
      this.migrationsApplied = true;
    }
    if (!this.notifications.isListening) throw notReady('the revocation listener is not connected');
    return { status: 'ok', database: 'up', migrations: 'applied', listener: 'listening' };
  }
}
