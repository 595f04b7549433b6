import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../../../src/audit/audit-actor';
import { ApiErrors } from '../../../src/common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../../../src/common/errors/common-errors';
import { Authenticated, Public, RequiresScope } from '../../../src/credentials/auth.decorators';
import { CurrentPrincipal } from '../../../src/credentials/current-principal.decorator';
import { Principal } from '../../../src/credentials/principal';
import { CreateWidgetDto, WidgetDto, WidgetListDto, WidgetStatusDto } from './dto/widget.dto';
import './acme.scopes';
import { WidgetsService } from './widgets.service';

@ApiTags('Acme widgets')
@Controller('v1/acme/widgets')
export class WidgetsController {
  constructor(private readonly widgets: WidgetsService) {}

  @Post()
  @Authenticated()
  @RequiresScope('widgets:write')
  @ApiErrors(...JSON_BODY_ERRORS, 'widget_name_taken')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWidgetDto, @Actor() actor: AuditActor): Promise<WidgetDto> {
    return WidgetDto.from(await this.widgets.create(principal.userId, body.name, actor));
  }

  @Get()
  @Authenticated()
  @RequiresScope('widgets:read')
  async list(@CurrentPrincipal() principal: Principal): Promise<WidgetListDto> {
    return { widgets: (await this.widgets.listOf(principal.userId)).map((widget) => WidgetDto.from(widget)) };
  }

  /** A public route: no credential needed. */
  @Get('status')
  @Public()
  async status(): Promise<WidgetStatusDto> {
    return { widgets: await this.widgets.count() };
  }
}
