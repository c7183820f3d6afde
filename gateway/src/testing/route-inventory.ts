import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { UNPREFIXED_ROUTES } from '../gateway-app';

export interface RouteInfo {
  method: string;
  /** Express-style path as served, e.g. `/api/users/:id`. */
  path: string;
  controller: Type;
  handler: (...args: unknown[]) => unknown;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v ?? '')]);
const join = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;

/**
 * Every HTTP route of the app, read from Nest's own metadata (controllers of every module), so a
 * route added anywhere shows up here without anyone listing it.
 */
export function enumerateRoutes(app: INestApplication): RouteInfo[] {
  const unprefixed = new Set(UNPREFIXED_ROUTES.map((r) => join(r.path)));
  const routes: RouteInfo[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || paths === undefined) continue;
        for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
          for (const p of asList(paths)) {
            const local = join(base, p);
            routes.push({
              method: RequestMethod[method],
              path: unprefixed.has(local) ? local : join('api', local),
              controller,
              handler: handler as RouteInfo['handler'],
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
