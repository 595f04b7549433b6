import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../common/errors/common-errors';
import { SendsSecret } from '../common/http/sends-secret.decorator';
import { UuidParam } from '../common/pipes/uuid-param.pipe';
import { Actor, AuditActor } from '../audit/audit-actor';
import { Authenticated } from '../credentials/auth.decorators';
import { CurrentPrincipal } from '../credentials/current-principal.decorator';
import { Principal } from '../credentials/principal';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyNameDto } from './dto/api-key-name.dto';
import { ApiKeyCreatedDto, ApiKeyDto, ApiKeyListDto } from './dto/api-key.dto';

@ApiTags('API keys')
@Authenticated()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @SendsSecret()
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description: 'The response is the only time the full `key` is shown. Store it now.',
  })
  @ApiErrors(...JSON_BODY_ERRORS, 'api_key_limit_reached')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: ApiKeyNameDto, @Actor() actor: AuditActor): Promise<ApiKeyCreatedDto> {
    const { apiKey, key } = await this.apiKeys.create(principal.userId, body.name, actor);
    return ApiKeyCreatedDto.withSecret(apiKey, key);
  }

  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List API keys', description: 'Active keys first, newest first.' })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListDto> {
    return { keys: (await this.apiKeys.list(principal.userId)).map((apiKey) => ApiKeyDto.from(apiKey)) };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getApiKey', summary: 'Get an API key' })
  @ApiErrors('validation_failed', 'not_found')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam()) id: string): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.get(principal.userId, id));
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'renameApiKey', summary: 'Rename an API key' })
  @ApiErrors(...JSON_BODY_ERRORS, 'not_found')
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam()) id: string,
    @Body() body: ApiKeyNameDto,
    @Actor() actor: AuditActor,
  ): Promise<ApiKeyDto> {
    return ApiKeyDto.from(await this.apiKeys.rename(principal.userId, id, body.name, actor));
  }

  @Delete(':id')
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
    return ApiKeyDto.from(await this.apiKeys.revoke(principal.userId, id, actor));
  }
}
