import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '../common/clock';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../common/errors/common-errors';
import { Client, ClientInfo } from '../common/http/client-info';
import { SendsSecret } from '../common/http/sends-secret.decorator';
import { UuidParam } from '../common/pipes/uuid-param.pipe';
import { Actor, AuditActor } from '../audit/audit-actor';
import { Authenticated, Public, RequiresScope } from '../credentials/auth.decorators';
import { CurrentPrincipal } from '../credentials/current-principal.decorator';
import { Principal } from '../credentials/principal';
import { scopeCatalogue } from '../credentials/scopes';
import { RateLimited } from '../rate-limits/rate-limited.decorator';
import './api-key.scopes';
import { ApiKeysService, DEFAULT_ROLL_OVERLAP_S } from './api-keys.service';
import { ApiKeyNameDto } from './dto/api-key-name.dto';
import { ApiKeyCreatedDto, ApiKeyDto, ApiKeyListDto, ScopeListDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { LeakReportAcceptedDto, ReportLeakedDto } from './dto/report-leaked.dto';
import { RollApiKeyDto } from './dto/roll-api-key.dto';

const LEAK_REPORT_ACCEPTED: LeakReportAcceptedDto = { message: 'Every listed key that was active is revoked.' };

@ApiTags('API keys')
@Authenticated()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @RequiresScope('api_keys:write')
  @SendsSecret()
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description:
      'The response is the only time the full `key` is shown. Store it now. Without `scopes` the key has full access; ' +
      'an API key can only create keys within its own scopes.',
  })
  @ApiErrors(...JSON_BODY_ERRORS, 'api_key_limit_reached')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto, @Actor() actor: AuditActor): Promise<ApiKeyCreatedDto> {
    const expiresAt = body.expires_at === undefined ? undefined : new Date(body.expires_at);
    const { apiKey, key } = await this.apiKeys.create(principal, { name: body.name, scopes: body.scopes, expiresAt }, actor);
    return ApiKeyCreatedDto.withSecret(apiKey, key, this.clock.now());
  }

  @Get()
  @RequiresScope('api_keys:read')
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List API keys', description: 'Active keys first, newest first.' })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListDto> {
    const now = this.clock.now();
    return { keys: (await this.apiKeys.list(principal.userId)).map((apiKey) => ApiKeyDto.from(apiKey, now)) };
  }

  @Get('scopes')
  @RequiresScope('api_keys:read')
  @ApiOperation({
    operationId: 'listApiKeyScopes',
    summary: 'The scopes a key can hold',
    description: 'Every scope of the service and of its extension modules, with what it allows.',
  })
  listScopes(): ScopeListDto {
    return { scopes: scopeCatalogue() };
  }

  @Post('report-leaked')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'reportLeakedApiKeys',
    summary: 'Report leaked API keys, which revokes them',
    description:
      'For secret scanners, and anyone who finds a key: whoever holds a key may end it. Each listed key that is active ' +
      'is revoked at once, on every instance, with `revoked_reason: "reported_leaked"`. Always 202 with the same body.',
  })
  @ApiAcceptedResponse({ type: LeakReportAcceptedDto })
  @ApiErrors(...JSON_BODY_ERRORS)
  async reportLeaked(@Body() body: ReportLeakedDto, @Client() client: ClientInfo): Promise<LeakReportAcceptedDto> {
    await this.apiKeys.reportLeaked(body.keys, client);
    return LEAK_REPORT_ACCEPTED;
  }

  @Get(':id')
  @RequiresScope('api_keys:read')
  @ApiOperation({ operationId: 'getApiKey', summary: 'Get an API key' })
  @ApiErrors('validation_failed', 'not_found')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam()) id: string): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.get(principal.userId, id), this.clock.now());
  }

  @Patch(':id')
  @RequiresScope('api_keys:write')
  @ApiOperation({ operationId: 'renameApiKey', summary: 'Rename an API key' })
  @ApiErrors(...JSON_BODY_ERRORS, 'not_found')
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam()) id: string,
    @Body() body: ApiKeyNameDto,
    @Actor() actor: AuditActor,
  ): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.rename(principal.userId, id, body.name, actor), this.clock.now());
  }

  @Post(':id/roll')
  @RequiresScope('api_keys:write')
  @SendsSecret()
  @ApiOperation({
    operationId: 'rollApiKey',
    summary: 'Roll an API key: a new key replaces it, and the old one expires after an overlap',
    description:
      'Returns a new key with the same name and scopes (shown once, as at creation), and as long a lifetime as the old ' +
      'one had, if it had one. The old key keeps working for `expires_in_s` more seconds (24 hours by default), never ' +
      'longer than it would have. Needs no free slot. A revoked or expired key cannot be rolled.',
  })
  @ApiErrors(...JSON_BODY_ERRORS, 'not_found', 'api_key_inactive')
  async roll(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam()) id: string,
    @Body() body: RollApiKeyDto,
    @Actor() actor: AuditActor,
  ): Promise<ApiKeyCreatedDto> {
    const { apiKey, key } = await this.apiKeys.roll(principal, id, body?.expires_in_s ?? DEFAULT_ROLL_OVERLAP_S, actor);
    return ApiKeyCreatedDto.withSecret(apiKey, key, this.clock.now());
  }

  @Delete(':id')
  @RequiresScope('api_keys:write')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description: 'Takes effect at once. Revoking a revoked key is harmless and returns it unchanged.',
  })
  @ApiErrors('validation_failed', 'not_found')
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam()) id: string,
    @Actor() actor: AuditActor,
  ): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.revoke(principal.userId, id, actor), this.clock.now());
  }
}
