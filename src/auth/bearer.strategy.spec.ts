import { ApiKeyVerifier } from '../api-keys/api-key.verifier';
import { ApiException } from '../common/errors/api-exception';
import { Principal } from '../credentials/principal';
import { NO_SCOPE } from '../credentials/auth.decorators';
import { RouteAccess, routeAccess } from '../credentials/route-access';
import { BearerStrategy } from './bearer.strategy';
import { SessionVerifier } from './session.verifier';

describe("BearerStrategy, as passport's strategy", () => {
  const apiKeyCaller: Principal = { method: 'api_key', userId: 'u1', apiKeyId: 'k1', scopes: ['audit:read'] };
  const strategy = new BearerStrategy(
    { read: () => ({ method: 'api_key', keyHash: 'h' }), admit: () => apiKeyCaller } as unknown as ApiKeyVerifier,
    {} as SessionVerifier,
  );
  const validate = (routeAccess: RouteAccess | undefined) => strategy.validate({ routeAccess }, 'mgp_token');

  it("applies the route's policy, as the global guard recorded it", async () => {
    await expect(validate(routeAccess('session_only', NO_SCOPE))).rejects.toEqual(new ApiException('session_required'));
    await expect(validate(routeAccess('any_credential', 'audit:read'))).resolves.toBe(apiKeyCaller);
    await expect(validate(routeAccess('any_credential', 'users:write'))).rejects.toMatchObject({ code: 'insufficient_scope' });
  });

  it('lets any credential through on a public route that runs passport itself', async () => {
    await expect(validate(routeAccess('public', undefined))).resolves.toBe(apiKeyCaller);
    await expect(validate(undefined)).resolves.toBe(apiKeyCaller);
  });
});
