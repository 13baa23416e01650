import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build:web` writes the React app (apps/web/dist). */
export const defaultWebRoot = path.resolve(import.meta.dirname, "../../../../../apps/web/dist");

/** The built web app's directory, or undefined when it has not been built (the placeholder pages serve then). */
export function findWebRoot(root: string = defaultWebRoot): string | undefined {
  return existsSync(path.join(root, "index.html")) ? root : undefined;
}

const noMeta = { gatehouse: { auth: "none" as const } };

/**
 * Serves the React app on the API's origin: hashed files under /assets/ (cached for a year), the other
 * files of the build root, and index.html for `/` and `/admin`. Other page paths (`/security`,
 * `/admin/audit`, …) get index.html from `spaFallback` in the not-found handler, so `/api/*` misses stay
 * JSON 404s and unknown methods stay 404/405.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  // serve: false — only reply.sendFile; every route below is ours and declares its meta.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").sendFile("index.html");
  for (const url of ["/", "/admin"]) {
    app.route({ method: "GET", url, config: noMeta, schema: { hide: true }, handler: sendIndex });
  }
  app.route({
    method: "GET",
    url: "/assets/*",
    config: noMeta,
    schema: { hide: true },
    handler: (request, reply) => {
      const file = (request.params as { "*": string })["*"];
      return reply.header("cache-control", "public, max-age=31536000, immutable").sendFile(path.join("assets", file));
    },
  });
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "index.html") continue;
    app.route({
      method: "GET",
      url: `/${entry.name}`,
      config: noMeta,
      schema: { hide: true },
      handler: (_request, reply) => reply.header("cache-control", "public, max-age=3600").sendFile(entry.name),
    });
  }
}

/**
 * The not-found handler's page fallback: a browser navigating to a client route (GET or HEAD, wants
 * HTML, not under /api/ or /assets/) gets the app's index.html. Returns false to let the JSON 404 answer.
 */
export function spaFallback(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const pathname = request.url.split("?")[0] ?? "/";
  if (pathname.startsWith("/api/") || pathname === "/api" || pathname.startsWith("/assets/")) return false;
  if (!request.headers.accept?.includes("text/html")) return false;
  void reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").sendFile("index.html");
  return true;
}
