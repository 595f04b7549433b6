import { MaybePromise } from './maybe-promise';
import { Principal } from './principal';

/**
 * The seam between the guard and the credentials: turns a bearer token into
 * a principal, in two steps. The auth module provides it, composing the
 * features' verifiers. Both steps throw the matching 401 (or a 503 when they
 * cannot tell).
 *
 * - `read` checks what the token alone can tell: its format, checksum,
 *   digest or signature. Its result depends on nothing but the token, so it
 *   may be reused while a connection keeps sending the same header.
 * - `admit` checks what can change, such as revocation and expiry. It runs on
 *   every request.
 */
export abstract class BearerAuthenticator<Credential extends object = object> {
  abstract read(token: string): Credential;
  abstract admit(credential: Credential): MaybePromise<Principal>;
}
