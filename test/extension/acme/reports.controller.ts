import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrors } from '../../../src/common/decorators/api-errors.decorator';
import { Authenticated, Public, RequiresScope } from '../../../src/credentials/auth.decorators';
import { CurrentPrincipal } from '../../../src/credentials/current-principal.decorator';
import { Principal } from '../../../src/credentials/principal';
import './acme.scopes';

const CALLER = {
  schema: {
    type: 'object',
    properties: { user_id: { type: 'string' }, method: { type: 'string' } },
    required: ['user_id', 'method'],
    additionalProperties: false,
  },
};
const callerOf = (principal: Principal) => ({ user_id: principal.userId, method: principal.method });

/** Routes that show how the guard treats a module's routes, whatever their decorators. */
@Controller('acme')
export class ReportsController {
  @Get('reports')
  @Authenticated()
  @RequiresScope('reports:read')
  @ApiOkResponse(CALLER)
  reports(@CurrentPrincipal() principal: Principal) {
    return callerOf(principal);
  }

  @Get('billing')
  @Authenticated({ sessionOnly: true })
  @ApiOkResponse(CALLER)
  billing(@CurrentPrincipal() principal: Principal) {
    return callerOf(principal);
  }

  /** Forgot its decorator: the global guard denies by default. */
  @Get('forgotten')
  @ApiOkResponse(CALLER)
  @ApiErrors('missing_authorization')
  forgotten() {
    return { user_id: 'nobody', method: 'none' };
  }

  /** Passport's own guard, with the same strategy behind it. */
  @Get('through-passport')
  @Public()
  @UseGuards(AuthGuard('bearer'))
  @ApiOkResponse(CALLER)
  @ApiErrors('invalid_token', 'api_key_revoked')
  throughPassport(@CurrentPrincipal() principal: Principal) {
    return callerOf(principal);
  }
}
