import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { AUTH_POLICY, AuthPolicy } from '../../src/common/decorators/auth.decorators';
import { TestApp } from './test-app';

export interface Route {
  method: string;
  path: string;
  policy: AuthPolicy | undefined;
}

/** Every route the app registers, with the auth decision its decorators make. */
export function collectRoutes(t: TestApp): Route[] {
  const scanner = new MetadataScanner();
  const reflector = t.app.get(Reflector);
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  return controllers.flatMap(({ metatype, instance }) => {
    if (!metatype || !instance) return [];
    const prefix = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance)).flatMap((name) => {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const policy = reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [handler as () => void, metatype]);
      return [{ method, path: `/${[prefix, path].filter((p) => p && p !== '/').join('/')}`, policy }];
    });
  });
}
