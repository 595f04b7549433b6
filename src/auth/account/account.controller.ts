import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, AuditActor } from '../../audit/audit-actor';
import { ApiErrors } from '../../common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../../common/errors/common-errors';
import { Client, ClientInfo } from '../../common/http/client-info';
import { Authenticated, Public } from '../../credentials/auth.decorators';
import { CurrentPrincipal } from '../../credentials/current-principal.decorator';
import { Principal, SessionPrincipal } from '../../credentials/principal';
import { RateLimited } from '../../rate-limits/rate-limited.decorator';
import { AccountService } from './account.service';
import { AcceptedDto, ChangePasswordDto, DeleteAccountDto, LinkTokenDto, PasswordResetDto, PasswordResetRequestDto } from './dto/account.dto';

const RESET_ACCEPTED: AcceptedDto = { message: 'If this email has an account, a link to reset its password is on its way.' };
const VERIFICATION_ACCEPTED: AcceptedDto = { message: 'A new link is on its way to your email, unless it is verified already.' };

@ApiTags('Account')
@Controller('v1')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Post('users/me/password')
  @Authenticated({ sessionOnly: true })
  @RateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change the password',
    description: 'Every other session of the account ends at once; this one stays, and API keys are untouched.',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(...JSON_BODY_ERRORS, 'wrong_password', 'weak_password')
  async changePassword(@CurrentPrincipal() principal: SessionPrincipal, @Body() body: ChangePasswordDto, @Actor() actor: AuditActor): Promise<void> {
    await this.account.changePassword(principal, body.current_password, body.new_password, actor);
  }

  // A POST: OpenAPI 3.0 gives a DELETE's body no meaning, and deleting needs the password.
  @Post('users/me/delete')
  @Authenticated({ sessionOnly: true })
  @RateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'deleteAccount',
    summary: 'Delete the account',
    description: 'Every key and session stops working at once, and every row of the account is deleted. The email can sign up again.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(...JSON_BODY_ERRORS, 'wrong_password')
  async deleteAccount(@CurrentPrincipal() principal: SessionPrincipal, @Body() body: DeleteAccountDto): Promise<void> {
    await this.account.deleteAccount(principal, body.password);
  }

  @Post('auth/password-reset')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Mail a link to reset the password',
    description:
      'Always 202 with the same body, whether the email has an account or not, and in about the same time. An account ' +
      'gets a link valid for 30 minutes, once; a newer request replaces it.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(...JSON_BODY_ERRORS)
  requestPasswordReset(@Body() body: PasswordResetRequestDto, @Client() client: ClientInfo): AcceptedDto {
    this.account.requestPasswordReset(body.email, client);
    return RESET_ACCEPTED;
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'resetPassword',
    summary: 'Set a new password with a reset link',
    description: 'Ends every session of the account, and marks its email verified.',
  })
  @ApiNoContentResponse({ description: 'The password is set' })
  @ApiErrors(...JSON_BODY_ERRORS, 'invalid_link_token', 'weak_password')
  async resetPassword(@Body() body: PasswordResetDto, @Client() client: ClientInfo): Promise<void> {
    await this.account.resetPassword(body.token, body.new_password, client);
  }

  @Post('auth/email-verification')
  @Authenticated({ sessionOnly: true })
  @RateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ operationId: 'sendEmailVerification', summary: 'Mail a new link to verify the email', description: 'Valid 24 hours, once.' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async sendEmailVerification(@CurrentPrincipal() principal: Principal): Promise<AcceptedDto> {
    await this.account.sendEmailVerification(principal.userId);
    return VERIFICATION_ACCEPTED;
  }

  @Post('auth/email-verification/confirm')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'verifyEmail', summary: 'Verify the email with the link sent to it' })
  @ApiNoContentResponse({ description: 'Verified' })
  @ApiErrors(...JSON_BODY_ERRORS, 'invalid_link_token')
  async verifyEmail(@Body() body: LinkTokenDto, @Client() client: ClientInfo): Promise<void> {
    await this.account.verifyEmail(body.token, client);
  }
}
