import { MaybePromise } from '../maybe-promise';
import { Principal } from '../principal';

/**
 * What the global guard asks to turn a well-formed `Authorization: Bearer`
 * header into a principal. The auth module provides it; it throws the
 * matching 401 (or a 503 when it cannot tell).
 */
export abstract class BearerAuthenticator {
  abstract verifyBearer(authorization: string): MaybePromise<Principal>;
}
