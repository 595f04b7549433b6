import { INestApplicationContext, RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { API_ERRORS } from '../common/decorators/api-errors.decorator';
import { SENDS_SECRET } from '../common/http/sends-secret.decorator';
import { ErrorCode } from '../common/errors/error-catalogue';
import { AUTH_POLICY, AuthPolicy, REQUIRED_SCOPE } from '../credentials/auth.decorators';

/** A route, as its decorators describe it. */
export interface RouteInfo {
  method: string;
  /** Nest's form: `/v1/api-keys/:id`. */
  path: string;
  policy: AuthPolicy | undefined;
  /** What `@RequiresScope` declares (`NO_SCOPE`: none needed); undefined when nothing does. */
  scope: string | undefined;
  /** It also runs passport's `AuthGuard('bearer')`, which needs a credential whatever its policy. */
  passportBearer: boolean;
  /** What `@ApiErrors` declares on the route and its controller. */
  errors: ErrorCode[];
  controller: Type;
  handler: () => unknown;
  /** Its success response carries a secret (`@SendsSecret()`). */
  sendsSecret: boolean;
}

/** Every route the app registers, read from the controllers' metadata (no request is made). */
export function listRoutes(app: INestApplicationContext): RouteInfo[] {
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const passportBearer = AuthGuard('bearer');
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  return controllers.flatMap(({ metatype, instance }) => {
    if (!metatype || !instance) return [];
    const controller = metatype as Type;
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object).flatMap((name) => {
      const handler = (instance as Record<string, unknown>)[name] as () => void;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const guards = [
        ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
        ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
      ];
      return [
        {
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
          path: `/${[prefix, path].filter((part) => part && part !== '/').join('/')}`,
          policy: reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [handler, controller]),
          scope: reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, [handler, controller]),
          passportBearer: guards.includes(passportBearer),
          errors: [
            ...((Reflect.getMetadata(API_ERRORS, controller) as ErrorCode[] | undefined) ?? []),
            ...((Reflect.getMetadata(API_ERRORS, handler) as ErrorCode[] | undefined) ?? []),
          ],
          controller,
          handler,
          sendsSecret: Reflect.getMetadata(SENDS_SECRET, handler) === true,
        },
      ];
    });
  });
}

/** `/v1/api-keys/:id` as OpenAPI writes it: `/v1/api-keys/{id}`. */
export const specPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * For a 405's `Allow`: the methods a concrete path answers, matched against
 * the routes' patterns; undefined for a path no route has. GET answers HEAD.
 */
export function allowedMethodsIndex(routes: RouteInfo[]): (path: string) => string[] | undefined {
  const byPattern = new Map<string, { matcher: RegExp; methods: Set<string> }>();
  for (const route of routes) {
    let entry = byPattern.get(route.path);
    if (!entry) {
      const pattern = route.path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      entry = { matcher: new RegExp(`^${pattern.join('/')}/?$`), methods: new Set() };
      byPattern.set(route.path, entry);
    }
    entry.methods.add(route.method);
    if (route.method === 'GET') entry.methods.add('HEAD');
  }
  const entries = [...byPattern.values()];
  return (path) => {
    const methods = new Set(entries.filter((entry) => entry.matcher.test(path)).flatMap((entry) => [...entry.methods]));
    return methods.size > 0 ? [...methods].sort() : undefined;
  };
}
