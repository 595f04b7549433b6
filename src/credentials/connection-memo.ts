import { BearerAuthenticator } from './bearer-authenticator';
import { bearerToken } from './bearer-header';
import { MaybePromise } from './maybe-promise';
import { Principal } from './principal';
import { DirectAuthenticator, RequestAuthenticator } from './request-authenticator';

/** What a connection last sent, as the authenticator read it. */
interface ReadHeader {
  authorization: string;
  credential: object;
}

/** A connection: Node's socket, which says when it closes. */
interface Connection {
  once(event: 'close', listener: () => void): unknown;
}

/** Headers remembered per connection: a client that alternates a few credentials on one connection keeps its reads. */
const HEADERS_PER_CONNECTION = 4;

/**
 * Keep-alive clients send the same Authorization header on every request, so
 * each connection remembers the last few headers it sent, read: reading
 * costs a SHA-256 digest or a JWT signature, most of what a cached credential
 * costs. Only the read is reused; `admit` (revocation, expiry) runs on every
 * request. A connection's headers are forgotten when it closes, and one that
 * could not be read is never remembered.
 */
export class ConnectionMemo implements RequestAuthenticator {
  /** Most recent first. */
  private readonly reads = new WeakMap<Connection, ReadHeader[]>();

  constructor(private readonly bearer: BearerAuthenticator) {}

  authenticate(authorization: string | undefined, connection: Connection | undefined): MaybePromise<Principal> {
    return this.bearer.admit(this.read(authorization, connection));
  }

  private read(authorization: string | undefined, connection: Connection | undefined): object {
    const remembered = connection && this.reads.get(connection);
    if (remembered) {
      if (remembered[0].authorization === authorization) return remembered[0].credential;
      const earlier = remembered.findIndex((read) => read.authorization === authorization);
      if (earlier > 0) {
        const [read] = remembered.splice(earlier, 1);
        remembered.unshift(read);
        return read.credential;
      }
    }
    const credential = this.bearer.read(bearerToken(authorization));
    if (connection) {
      if (!remembered) {
        this.reads.set(connection, [{ authorization: authorization!, credential }]);
        connection.once('close', () => this.reads.delete(connection));
      } else {
        remembered.unshift({ authorization: authorization!, credential });
        remembered.length = Math.min(remembered.length, HEADERS_PER_CONNECTION);
      }
    }
    return credential;
  }
}

/** The bearer authenticator, behind the per-connection memo unless TUNE_CONNECTION_MEMO is off. */
export function requestAuthenticator(bearer: BearerAuthenticator, connectionMemo: boolean): RequestAuthenticator {
  return connectionMemo ? new ConnectionMemo(bearer) : new DirectAuthenticator(bearer);
}
