import { ExecutionContext } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../common/errors/api-exception';
import { AUTH_POLICY, AuthPolicy, NO_SCOPE } from './auth.decorators';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerAuthenticator } from './bearer-authenticator';
import { ConnectionMemo } from './connection-memo';
import { MaybePromise } from './maybe-promise';
import { Principal } from './principal';
import { DirectAuthenticator } from './request-authenticator';

const apiKeyCaller: Principal = { method: 'api_key', userId: 'u1', apiKeyId: 'k1', scopes: ['*'] };
const readOnlyKeyCaller: Principal = { method: 'api_key', userId: 'u1', apiKeyId: 'k2', scopes: ['widgets:read'] };
const sessionCaller: Principal = { method: 'session', userId: 'u1', sessionId: 's1', scopes: ['*'] };

/** A credential as the fake authenticator reads it: the token it came from. */
interface FakeCredential {
  token: string;
}

class SomeController {
  route() {}
}

function setUp(
  policy: AuthPolicy | undefined,
  admit: (authorization: string) => MaybePromise<Principal>,
  // null: the route declares no scope.
  { memo = true, scope = NO_SCOPE }: { memo?: boolean; scope?: string | null } = {},
) {
  const reflector = { getAllAndOverride: jest.fn((key: string) => (key === AUTH_POLICY ? policy : (scope ?? undefined))) };
  const authenticator = {
    read: jest.fn((token: string): FakeCredential => {
      if (token === 'unreadable') throw new ApiException('invalid_token');
      return { token };
    }),
    admit: jest.fn((credential: FakeCredential) => admit(credential.token)),
  } satisfies BearerAuthenticator<FakeCredential>;
  const guard = new BearerAuthGuard(
    reflector as unknown as Reflector,
    memo ? new ConnectionMemo(authenticator) : new DirectAuthenticator(authenticator),
  );
  const request: { headers: Record<string, string>; raw: { socket?: EventEmitter; rawHeaders: string[] }; user?: Principal } = {
    headers: {},
    raw: { socket: new EventEmitter(), rawHeaders: [] },
  };
  const context = {
    getHandler: () => SomeController.prototype.route,
    getClass: () => SomeController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { guard, authenticator, reflector, request, context };
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
    expect(authenticator.read).not.toHaveBeenCalled();
  });

  it("reads a route's decorators once, not on every request", () => {
    const { guard, reflector, request, context } = setUp('any_credential', () => apiKeyCaller);
    request.headers.authorization = 'Bearer mgp_token';
    for (let i = 0; i < 3; i++) expect(guard.canActivate(context)).toBe(true);
    expect(reflector.getAllAndOverride).toHaveBeenCalledTimes(2); // the policy and the scope
  });

  it("refuses a key without the route's scope with insufficient_scope, naming the scope in the challenge", () => {
    const { guard, request, context } = setUp('any_credential', () => readOnlyKeyCaller, { scope: 'widgets:write' });
    request.headers.authorization = 'Bearer mgp_token';
    let refused: ApiException | undefined;
    try {
      void guard.canActivate(context);
    } catch (error) {
      refused = error as ApiException;
    }
    expect(refused?.code).toBe('insufficient_scope');
    expect(refused?.extras.headers?.['www-authenticate']).toBe('Bearer realm="magpipe", error="insufficient_scope", scope="widgets:write"');
    expect(request.user).toBeUndefined();
  });

  it('admits a key that holds the scope, a full-access key and a session', () => {
    for (const caller of [readOnlyKeyCaller, apiKeyCaller, sessionCaller]) {
      const { guard, request, context } = setUp('any_credential', () => caller, { scope: 'widgets:read' });
      request.headers.authorization = 'Bearer mgp_token';
      expect(guard.canActivate(context)).toBe(true);
      expect(request.user).toBe(caller);
    }
  });

  it('lets only full access through on a route that declares no scope', () => {
    const scoped = setUp('any_credential', () => readOnlyKeyCaller, { scope: null });
    scoped.request.headers.authorization = 'Bearer mgp_token';
    expect(codeOf(() => scoped.guard.canActivate(scoped.context))).toBe('insufficient_scope');
    const full = setUp('any_credential', () => apiKeyCaller, { scope: null });
    full.request.headers.authorization = 'Bearer mgp_token';
    expect(full.guard.canActivate(full.context)).toBe(true);
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
    expect(authenticator.read).not.toHaveBeenCalled();
  });

  it('admits synchronously when verification answers from memory, and sets the principal', () => {
    const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
    request.headers.authorization = 'bearer mgp_token';
    expect(guard.canActivate(context)).toBe(true);
    expect(authenticator.read).toHaveBeenCalledWith('mgp_token');
    expect(authenticator.admit).toHaveBeenCalledWith({ token: 'mgp_token' });
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
    const revoked = new ApiException('invalid_token', 'This session has ended');
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

  it('reads every header afresh with the connection memo switched off (TUNE_CONNECTION_MEMO=false)', () => {
    const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller, { memo: false });
    request.headers.authorization = 'Bearer mgp_token';
    for (let i = 0; i < 3; i++) expect(guard.canActivate(context)).toBe(true);
    expect(authenticator.read).toHaveBeenCalledTimes(3);
    expect(request.raw.socket!.listenerCount('close')).toBe(0);
  });

  describe('on a connection that sends the same header again', () => {
    it('reads it once and admits it on every request', () => {
      const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
      request.headers.authorization = 'Bearer mgp_token';
      for (let i = 0; i < 3; i++) expect(guard.canActivate(context)).toBe(true);
      expect(authenticator.read).toHaveBeenCalledTimes(1);
      expect(authenticator.admit).toHaveBeenCalledTimes(3);
    });

    it('still refuses it once admission fails, such as after a revocation', () => {
      let revoked = false;
      const { guard, authenticator, request, context } = setUp('any_credential', () => {
        if (revoked) throw new ApiException('invalid_token', 'This session has ended');
        return apiKeyCaller;
      });
      request.headers.authorization = 'Bearer mgp_token';
      expect(guard.canActivate(context)).toBe(true);
      revoked = true;
      expect(codeOf(() => guard.canActivate(context))).toBe('invalid_token');
      expect(codeOf(() => guard.canActivate(context))).toBe('invalid_token');
      expect(authenticator.read).toHaveBeenCalledTimes(1);
    });

    it('reads again when the header changes, or when another connection sends it', () => {
      const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
      // As long as each other: only the whole header tells them apart.
      request.headers.authorization = 'Bearer first1';
      expect(guard.canActivate(context)).toBe(true);
      request.headers.authorization = 'Bearer first2';
      expect(guard.canActivate(context)).toBe(true);
      expect(request.raw.socket!.listenerCount('close')).toBe(1);
      request.raw.socket = new EventEmitter();
      expect(guard.canActivate(context)).toBe(true);
      expect(authenticator.read.mock.calls).toEqual([['first1'], ['first2'], ['first2']]);
    });

    it('never remembers a header it could not read, nor forgets the last good one for it', () => {
      const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
      request.headers.authorization = 'Bearer good';
      expect(guard.canActivate(context)).toBe(true);
      request.headers.authorization = 'Bearer unreadable';
      expect(codeOf(() => guard.canActivate(context))).toBe('invalid_token');
      expect(codeOf(() => guard.canActivate(context))).toBe('invalid_token');
      request.headers.authorization = 'Bearer good';
      expect(guard.canActivate(context)).toBe(true);
      expect(authenticator.read.mock.calls).toEqual([['good'], ['unreadable'], ['unreadable']]);
    });

    it('refuses a missing or empty header even after a good one', () => {
      const { guard, request, context } = setUp('any_credential', () => apiKeyCaller);
      request.headers.authorization = 'Bearer good';
      expect(guard.canActivate(context)).toBe(true);
      request.headers.authorization = '';
      expect(codeOf(() => guard.canActivate(context))).toBe('missing_authorization');
      delete request.headers.authorization;
      expect(codeOf(() => guard.canActivate(context))).toBe('missing_authorization');
    });

    it("still applies the route's policy, and waits for an admission that needs the database", async () => {
      const { guard, request, context } = setUp('session_only', () => Promise.resolve(apiKeyCaller));
      request.headers.authorization = 'Bearer mgp_token';
      await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'session_required' });
      await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'session_required' });
      expect(request.user).toBeUndefined();
    });

    it('forgets it when the connection closes', () => {
      const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
      request.headers.authorization = 'Bearer good';
      expect(guard.canActivate(context)).toBe(true);
      request.raw.socket!.emit('close');
      expect(guard.canActivate(context)).toBe(true);
      expect(authenticator.read).toHaveBeenCalledTimes(2);
      expect(request.raw.socket!.listenerCount('close')).toBe(1);
    });

    it('reads every request that comes without a socket', () => {
      const { guard, authenticator, request, context } = setUp('any_credential', () => apiKeyCaller);
      request.headers.authorization = 'Bearer good';
      delete request.raw.socket;
      expect(guard.canActivate(context)).toBe(true);
      expect(guard.canActivate(context)).toBe(true);
      expect(authenticator.read).toHaveBeenCalledTimes(2);
    });
  });
});
