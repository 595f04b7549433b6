import { BearerAuthenticator } from './bearer-authenticator';
import { bearerToken } from './bearer-header';
import { MaybePromise } from './maybe-promise';
import { Principal } from './principal';

/** What the guard asks: who sent this Authorization header, on this connection. */
export abstract class RequestAuthenticator {
  abstract authenticate(authorization: string | undefined, connection: object | undefined): MaybePromise<Principal>;
}

/** Reads and admits every header afresh. */
export class DirectAuthenticator implements RequestAuthenticator {
  constructor(private readonly bearer: BearerAuthenticator) {}

  authenticate(authorization: string | undefined): MaybePromise<Principal> {
    return this.bearer.admit(this.bearer.read(bearerToken(authorization)));
  }
}
