import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AUTH_POLICY, AuthPolicy } from '../decorators/auth.decorators';
import { ApiException } from '../errors/api-exception';
import { MaybePromise, thenMaybe } from '../maybe-promise';
import { Principal } from '../principal';
import { BearerAuthenticator } from './bearer-authenticator';

const BEARER_HEADER = /^Bearer [^\s]+$/i;

/**
 * The global guard: deny by default. A route opts out only with `@Public()`.
 * It admits a request synchronously when the credential is verified from
 * memory, which is the steady state: authentication runs on every request.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
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
    const header = request.headers.authorization?.trim();
    if (!header) throw new ApiException('missing_authorization', 'Authorization header is required');
    if (!BEARER_HEADER.test(header)) {
      throw new ApiException('invalid_token', 'Authorization header must be "Bearer <token>"');
    }
    return thenMaybe(this.authenticator.verifyBearer(header), (principal) => {
      if (policy === 'session_only' && principal.method !== 'session') throw new ApiException('session_required');
      request.user = principal;
      return true;
    });
  }
}
