import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { AUTH_POLICY, AuthPolicy } from '../decorators/auth.decorators';
import { ApiException } from '../errors/api-exception';
import { Principal } from '../principal';

const BEARER_HEADER = /^Bearer [^\s]+$/i;

/**
 * The global guard: deny by default. A route opts out only with `@Public()`.
 * The credential itself is checked by the `bearer` passport strategy.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (policy === 'public') return true;

    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization?.trim();
    if (!header) throw new ApiException('missing_authorization', 'Authorization header is required');
    if (!BEARER_HEADER.test(header)) {
      throw new ApiException('invalid_token', 'Authorization header must be "Bearer <token>"');
    }

    await super.canActivate(context);

    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    if (policy === 'session_only' && principal.method !== 'session') {
      throw new ApiException('session_required');
    }
    return true;
  }

  override handleRequest<TUser = Principal>(error: unknown, principal: TUser | false): TUser {
    // Rethrown as is: the exception filter maps it (an outage becomes a 503, not a 401).
    if (error) throw error; // eslint-disable-line @typescript-eslint/only-throw-error
    if (!principal) throw new ApiException('invalid_token', 'Invalid or expired token');
    return principal;
  }
}
