import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../audit/audit-actor';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../common/errors/common-errors';
import { Client, ClientInfo } from '../common/http/client-info';
import { SendsSecret } from '../common/http/sends-secret.decorator';
import { UuidParam } from '../common/pipes/uuid-param.pipe';
import { Authenticated, Public, RequiresNoScope, RequiresScope } from '../credentials/auth.decorators';
import { CurrentPrincipal } from '../credentials/current-principal.decorator';
import { Principal, SessionPrincipal } from '../credentials/principal';
import { UsersService } from '../users/users.service';
import { LoginDto, SignupDto } from './dto/credentials.dto';
import { LogoutDto } from './dto/logout.dto';
import { RefreshDto } from './dto/refresh.dto';
import { SessionDto, SessionInfoDto, SessionListDto } from './dto/session.dto';
import { WhoamiDto } from './dto/whoami.dto';
import { RateLimited } from '../rate-limits/rate-limited.decorator';
import './session.scopes';
import { SessionsService } from './sessions.service';

@ApiTags('Auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Post('signup')
  @Public()
  @SendsSecret()
  @RateLimited()
  @ApiOperation({ operationId: 'signup', summary: 'Create an account and start a session' })
  @ApiErrors(...JSON_BODY_ERRORS, 'email_taken')
  async signup(@Body() body: SignupDto, @Client() client: ClientInfo): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.signUp(body, client));
  }

  @Post('login')
  @Public()
  @SendsSecret()
  @RateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password' })
  @ApiErrors(...JSON_BODY_ERRORS, 'invalid_credentials')
  async login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.signIn(body, client));
  }

  @Post('refresh')
  @Public()
  @SendsSecret()
  @RateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'refresh',
    summary: 'Exchange a refresh token for a new session token',
    description:
      'The refresh token is spent and a new one returned. A spent token still works for 10 seconds (concurrent tabs); ' +
      'used later, it is treated as stolen and the whole session is revoked.',
  })
  @ApiErrors(...JSON_BODY_ERRORS, 'invalid_refresh_token')
  async refresh(@Body() body: RefreshDto, @Client() client: ClientInfo): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.refresh(body.refresh_token, client));
  }

  @Post('logout')
  @Authenticated({ sessionOnly: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'logout', summary: 'End this session, all sessions, or all others' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors(...JSON_BODY_ERRORS)
  async logout(@CurrentPrincipal() principal: SessionPrincipal, @Body() body: LogoutDto, @Actor() actor: AuditActor): Promise<void> {
    await this.sessions.logout(principal, body.scope ?? 'local', actor);
  }

  @Get('sessions')
  @Authenticated()
  @RequiresScope('sessions:read')
  @ApiOperation({ operationId: 'listSessions', summary: 'Your active sessions' })
  async listSessions(@CurrentPrincipal() principal: Principal): Promise<SessionListDto> {
    const current = principal.method === 'session' ? principal.sessionId : undefined;
    const sessions = await this.sessions.listActive(principal.userId);
    return { sessions: sessions.map((session) => SessionInfoDto.from(session, current)) };
  }

  @Delete('sessions/:id')
  @Authenticated()
  @RequiresScope('sessions:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'revokeSession', summary: 'End one of your sessions' })
  @ApiNoContentResponse({ description: 'Ended (also when it had already ended)' })
  @ApiErrors('validation_failed', 'not_found')
  async revokeSession(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam()) id: string,
    @Actor() actor: AuditActor,
  ): Promise<void> {
    await this.sessions.revoke(principal.userId, id, actor);
  }

  @Get('whoami')
  @Authenticated()
  @RequiresNoScope()
  @ApiOperation({ operationId: 'whoami', summary: 'Who is calling, and with which credential' })
  async whoami(@CurrentPrincipal() principal: Principal): Promise<WhoamiDto> {
    return WhoamiDto.from(await this.users.getProfile(principal.userId), principal);
  }
}
