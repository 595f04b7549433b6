import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiException } from '../common/errors/api-exception';
import { Public } from '../credentials/auth.decorators';
import { DatabaseHealth } from '../database/database-health';

const PING_TIMEOUT_MS = 2000;

export class HealthDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
  @ApiProperty({ enum: ['up'], example: 'up' })
  database: 'up';
}

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Liveness and a database round trip' })
  async check(): Promise<HealthDto> {
    if (!(await this.database.answers(PING_TIMEOUT_MS))) {
      throw new ApiException('service_unavailable', 'The database cannot be reached');
    }
    return { status: 'ok', database: 'up' };
  }
}
