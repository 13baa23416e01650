import type { FastifyInstance } from "fastify";

export interface RouteEntry {
  method: string;
  url: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route registered after `trackRoutes` (tests walk it to check properties of whole route classes). */
    routeTable: RouteEntry[];
  }
}

/** Records every route as it is added. Call before registering routes. */
export function trackRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate("routeTable", table);
  app.addHook("onRoute", (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      table.push({ method: String(method), url: route.url });
    }
  });
}
