import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AUTH_POLICY, AuthPolicy, REQUIRED_SCOPE } from './auth.decorators';
import { authorizationOf } from './bearer-header';
import { MaybePromise, thenMaybe } from './maybe-promise';
import { Principal } from './principal';
import { RequestAuthenticator } from './request-authenticator';
import { authorize, RouteAccess, routeAccess } from './route-access';

export type AuthenticatedRequest = FastifyRequest & { user?: Principal; routeAccess?: RouteAccess };

/**
 * The global guard: deny by default; a route opts out only with `@Public()`.
 * It admits a request synchronously when the credential is verified from
 * memory, which is the steady state: authentication runs on every request.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  /** Each route's access rule, read from its decorators once: by controller, then handler (which a subclass may share). */
  private readonly accessByRoute = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    const access = this.accessOf(context);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // For passport's `validate`, should the route also run AuthGuard('bearer').
    request.routeAccess = access;
    if (access.policy === 'public') return true;
    const principal = this.authenticator.authenticate(authorizationOf(request), request.raw.socket);
    return thenMaybe(principal, (admitted) => {
      request.user = authorize(admitted, access);
      return true;
    });
  }

  private accessOf(context: ExecutionContext): RouteAccess {
    const controller = context.getClass();
    const handler = context.getHandler();
    let routes = this.accessByRoute.get(controller);
    if (!routes) this.accessByRoute.set(controller, (routes = new WeakMap()));
    let access = routes.get(handler);
    if (!access) {
      access = routeAccess(
        this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [handler, controller]),
        this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, [handler, controller]),
      );
      routes.set(handler, access);
    }
    return access;
  }
}
