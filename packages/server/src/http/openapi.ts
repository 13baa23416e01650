import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

/** OpenAPI 3.1 from the routes' zod schemas at /api/openapi.json, and a docs page at /api/docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Gatehouse",
        version: "0.1.0",
        description:
          "Session and access server. Errors are `{ error: { code, message, details? } }`; see docs/errors.md for the codes.",
      },
      components: {
        securitySchemes: {
          userSession: { type: "apiKey", in: "cookie", name: "__Host-user_session" },
          adminSession: { type: "apiKey", in: "cookie", name: "__Host-admin_session" },
          cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    staticCSP: true,
    // swagger-ui's own CSP allows framing by itself; Gatehouse pages are never framed.
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get("/api/openapi.json", { schema: { hide: true }, config: { gatehouse: { auth: "none" } } }, async () =>
    app.swagger(),
  );
}
