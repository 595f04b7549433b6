import { listRoutes, RouteInfo } from '../../src/openapi/route-catalogue';
import { TestApp } from './test-app';

export type Route = RouteInfo;

/** Every route the app registers, with the auth decision its decorators make. */
export function collectRoutes(t: TestApp): Route[] {
  return listRoutes(t.app);
}
