/**
 * An enterprise team's own module, added beside AppModule as a deployment
 * would add it: its routes sit behind the global guard without doing anything,
 * get the caller through @CurrentPrincipal(), and can also use the bearer
 * strategy through passport as AuthGuard('bearer').
 */
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiErrors } from '../src/common/decorators/api-errors.decorator';
import { Authenticated, Public } from '../src/common/decorators/auth.decorators';
import { CurrentPrincipal } from '../src/common/decorators/current-principal.decorator';
import { Principal } from '../src/common/principal';
import { bearer, createApiKey, signUp } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

const CALLER = {
  schema: {
    type: 'object',
    properties: { user_id: { type: 'string' }, method: { type: 'string' } },
    required: ['user_id', 'method'],
    additionalProperties: false,
  },
};
const callerOf = (principal: Principal) => ({ user_id: principal.userId, method: principal.method });

@Controller('acme')
class AcmeController {
  @Get('reports')
  @Authenticated()
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

@Module({ controllers: [AcmeController] })
class AcmeModule {}

describe('An extension module behind the guard', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ imports: [AcmeModule] })));
  afterAll(() => t.close());

  it('gets the caller from either credential, and enforces session-only routes', async () => {
    const user = await signUp(t);
    const { key } = await createApiKey(t, user.accessToken);
    await t.http().get('/acme/reports').set(bearer(key)).expect(200, { user_id: user.userId, method: 'api_key' });
    await t.http().get('/acme/reports').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    await t.http().get('/acme/billing').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    const keyOnBilling = await t.http().get('/acme/billing').set(bearer(key)).expect(403);
    expect(keyOnBilling.body.code).toBe('session_required');
  });

  it('denies an undecorated route without a credential', async () => {
    const response = await t.http().get('/acme/forgotten').expect(401);
    expect(response.body.code).toBe('missing_authorization');
  });

  it('lets AuthGuard("bearer") verify the same credentials, revocation included', async () => {
    const user = await signUp(t);
    const created = await createApiKey(t, user.accessToken);
    await t.http().get('/acme/through-passport').set(bearer(created.key)).expect(200, { user_id: user.userId, method: 'api_key' });
    await t.http().get('/acme/through-passport').set(bearer(user.accessToken)).expect(200, { user_id: user.userId, method: 'session' });
    await t.http().delete(`/v1/api-keys/${created.id}`).set(bearer(user.accessToken)).expect(200);
    const revoked = await t.http().get('/acme/through-passport').set(bearer(created.key)).expect(401);
    expect(revoked.body.code).toBe('api_key_revoked');
    const garbage = await t.http().get('/acme/through-passport').set(bearer('not-a-token')).expect(401);
    expect(garbage.body.code).toBe('invalid_token');
  });
});
