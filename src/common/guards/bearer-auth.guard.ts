import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { Socket } from 'node:net';
import { AUTH_POLICY, AuthPolicy } from '../decorators/auth.decorators';
import { ApiException } from '../errors/api-exception';
import { MaybePromise, thenMaybe } from '../maybe-promise';
import { Principal } from '../principal';
import { BearerAuthenticator } from './bearer-authenticator';

const BEARER_HEADER = /^Bearer [^\s]+$/i;
const BEARER_PREFIX_LENGTH = 'Bearer '.length;

/** The last Authorization header a connection sent, as the authenticator read it. */
interface ReadHeader {
  authorization: string;
  credential: object;
}

/**
 * The global guard: deny by default. A route opts out only with `@Public()`.
 * It admits a request synchronously when the credential is verified from
 * memory, which is the steady state: authentication runs on every request.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  /**
   * Keep-alive clients send the same header on every request, so each
   * connection remembers its last one, read. Reading costs a SHA-256 digest
   * or a JWT signature: in the benchmark, most of an API key's cost. Only the
   * read is reused: `admit` checks revocation and expiry on every request.
   * A header is forgotten when its connection closes.
   */
  private readonly lastRead = new WeakMap<Socket, ReadHeader>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: BearerAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (policy === 'public') return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const credential = this.credentialFor(request.headers.authorization, request.raw.socket);
    return thenMaybe(this.authenticator.admit(credential), (principal) => {
      if (policy === 'session_only' && principal.method !== 'session') throw new ApiException('session_required');
      request.user = principal;
      return true;
    });
  }

  private credentialFor(authorization: string | undefined, connection: Socket | undefined): object {
    const last = connection && this.lastRead.get(connection);
    if (last && last.authorization === authorization) return last.credential;
    // A header that cannot be read throws here, and is never remembered.
    const credential = this.authenticator.read(bearerToken(authorization));
    if (connection) {
      if (!last) connection.once('close', () => this.lastRead.delete(connection));
      this.lastRead.set(connection, { authorization: authorization!, credential });
    }
    return credential;
  }
}

/** The token of a `Bearer <token>` header; throws the matching 401 for anything else. */
function bearerToken(authorization: string | undefined): string {
  const header = authorization?.trim();
  if (!header) throw new ApiException('missing_authorization', 'Authorization header is required');
  if (!BEARER_HEADER.test(header)) {
    throw new ApiException('invalid_token', 'Authorization header must be "Bearer <token>"');
  }
  return header.slice(BEARER_PREFIX_LENGTH);
}
