import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthPolicy } from '../decorators/auth.decorators';
import { ApiException } from '../errors/api-exception';
import { MaybePromise } from '../maybe-promise';
import { Principal } from '../principal';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerAuthenticator } from './bearer-authenticator';

const apiKeyCaller: Principal = { method: 'api_key', userId: 'u1', apiKeyId: 'k1' };
const sessionCaller: Principal = { method: 'session', userId: 'u1', sessionId: 's1' };

function setUp(policy: AuthPolicy | undefined, verify: (authorization: string) => MaybePromise<Principal>) {
  const reflector = { getAllAndOverride: () => policy } as unknown as Reflector;
  const authenticator: BearerAuthenticator = { verifyBearer: jest.fn(verify) };
  const guard = new BearerAuthGuard(reflector, authenticator);
  const request: { headers: Record<string, string>; user?: Principal } = { headers: {} };
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { guard, authenticator, request, context };
}

const codeOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    return (error as ApiException).code;
  }
  return undefined;
};

describe('BearerAuthGuard', () => {
  it('lets a public route through without asking for a credential', () => {
    const { guard, authenticator, context } = setUp('public', () => apiKeyCaller);
    expect(guard.canActivate(context)).toBe(true);
    expect(authenticator.verifyBearer).not.toHaveBeenCalled();
  });

  it('denies an undecided route like a protected one', () => {
    const { guard, context } = setUp(undefined, () => apiKeyCaller);
    expect(codeOf(() => guard.canActivate(context))).toBe('missing_authorization');
  });

  it('refuses a missing or malformed header before verification', () => {
    const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
    request.headers.authorization = '   ';
    expect(codeOf(() => guard.canActivate(context))).toBe('missing_authorization');
    for (const header of ['Basic abc', 'Bearer', 'Bearer  two-spaces', 'Bearer a b']) {
      request.headers.authorization = header;
      expect(codeOf(() => guard.canActivate(context))).toBe('invalid_token');
    }
    expect(authenticator.verifyBearer).not.toHaveBeenCalled();
  });

  it('admits synchronously when verification answers from memory, and sets the principal', () => {
    const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
    request.headers.authorization = 'bearer mgp_token';
    expect(guard.canActivate(context)).toBe(true);
    expect(authenticator.verifyBearer).toHaveBeenCalledWith('bearer mgp_token');
    expect(request.user).toBe(apiKeyCaller);
  });

  it('admits later when verification needs the database', async () => {
    const { guard, request, context } = setUp('any_credential', () => Promise.resolve(sessionCaller));
    request.headers.authorization = 'Bearer jwt';
    const admitted = guard.canActivate(context);
    expect(admitted).toBeInstanceOf(Promise);
    expect(request.user).toBeUndefined();
    expect(await admitted).toBe(true);
    expect(request.user).toBe(sessionCaller);
  });

  it('refuses an API key on a session-only route, now or later, and sets no principal', async () => {
    const now = setUp('session_only', () => apiKeyCaller);
    now.request.headers.authorization = 'Bearer mgp_token';
    expect(codeOf(() => now.guard.canActivate(now.context))).toBe('session_required');
    expect(now.request.user).toBeUndefined();

    const later = setUp('session_only', () => Promise.resolve(apiKeyCaller));
    later.request.headers.authorization = 'Bearer mgp_token';
    await expect(later.guard.canActivate(later.context)).rejects.toMatchObject({ code: 'session_required' });
    expect(later.request.user).toBeUndefined();
  });

  it('passes on the verification error, thrown or rejected', async () => {
    const revoked = new ApiException('api_key_revoked');
    const thrown = setUp('any_credential', () => {
      throw revoked;
    });
    thrown.request.headers.authorization = 'Bearer mgp_token';
    expect(() => thrown.guard.canActivate(thrown.context)).toThrow(revoked);

    const rejected = setUp('any_credential', () => Promise.reject(revoked));
    rejected.request.headers.authorization = 'Bearer mgp_token';
    await expect(rejected.guard.canActivate(rejected.context)).rejects.toBe(revoked);
    expect(rejected.request.user).toBeUndefined();
  });
});
