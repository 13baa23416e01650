import { verifySession } from "@gatehouse/node/fastify";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * A Fastify app that knows who is signed in through Gatehouse: `/me` and `/notes` need a user-realm
 * session; `/notes` is a POST, so Gatehouse also checks its CSRF token.
 */
export function buildExampleApp(options: { gatehouseUrl: string }): FastifyInstance {
  const app = Fastify({ trustProxy: "127.0.0.1" });
  const signedIn = verifySession({ gatehouseUrl: options.gatehouseUrl, realm: "user" });

  app.get("/", async () => ({ hello: "anyone" }));
  app.get("/me", { onRequest: signedIn }, async (request) => ({
    principal: request.gatehouse?.principal,
    sessionIdHash: request.gatehouse?.sessionIdHash,
  }));
  app.post("/notes", { onRequest: signedIn }, async (request) => ({
    saved: request.body,
    by: request.gatehouse?.principal.email,
  }));
  return app;
}
