import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Authenticated, RequiresScope } from '../credentials/auth.decorators';
import { CurrentPrincipal } from '../credentials/current-principal.decorator';
import { Principal } from '../credentials/principal';
import { AuditLog } from './audit-log';
import './audit.scopes';
import { AuditEventListDto, AuditEventDto, AuditEventsQueryDto } from './dto/audit-event.dto';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('Security activity')
@Authenticated()
@RequiresScope('audit:read')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: "Your account's security activity, newest first",
    description:
      'Sign-ins, failed sign-ins, ended sessions, refresh-token reuse, and every change to your keys, with the credential ' +
      'that acted and the address it came from. Page with `next_cursor`: a cursor stays valid while new events arrive. ' +
      'Events are kept for AUDIT_RETENTION_DAYS (365 by default).',
  })
  @ApiErrors('validation_failed')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AuditEventsQueryDto): Promise<AuditEventListDto> {
    const page = await this.audit.page(principal.userId, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE);
    return { events: page.events.map((event) => AuditEventDto.from(event)), next_cursor: page.nextCursor };
  }
}
