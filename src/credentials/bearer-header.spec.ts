import { ApiException } from '../common/errors/api-exception';
import { authorizationOf, bearerToken } from './bearer-header';

describe('the Authorization header', () => {
  const request = (...rawHeaders: string[]) => {
    const first = rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'authorization');
    return { headers: { authorization: first === -1 ? undefined : rawHeaders[first + 1] }, raw: { rawHeaders } };
  };

  it('is the one header sent', () => {
    expect(authorizationOf(request('Host', 'x', 'Authorization', 'Bearer a'))).toBe('Bearer a');
    expect(authorizationOf(request('Host', 'x'))).toBeUndefined();
  });

  it('is refused when sent twice, in any case, whatever the first one says', () => {
    for (const second of ['Authorization', 'authorization', 'AUTHORIZATION']) {
      expect(() => authorizationOf(request('Authorization', 'Bearer a', 'Host', 'x', second, 'Bearer b'))).toThrow(ApiException);
    }
  });

  it('must be "Bearer <token>"', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(() => bearerToken(undefined)).toThrow('Authorization header is required');
    expect(() => bearerToken('Basic abc')).toThrow('Authorization header must be "Bearer <token>"');
  });
});
