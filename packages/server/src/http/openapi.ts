import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { RealmPolicy } from "@gatehouse/core";
import type { FastifyInstance, RouteOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import type { CookiePolicy } from "../config.ts";
import { sessionCookieName } from "./cookies.ts";

export interface OpenApiOptions {
  /** Every realm (the registry's order): each gets a security scheme for its session cookie. */
  realms: readonly RealmPolicy[];
  /** Decides the cookie names (`__Host-` or plain), exactly as the server sets them. */
  cookies: CookiePolicy;
}

/** The extension naming the permission an admin operation needs (from the route's own meta). */
export const permissionExtension = "x-gatehouse-permission";
/** The extension marking a sensitive operation that needs a re-authentication within 5 minutes. */
export const stepUpExtension = "x-gatehouse-step-up";

/** The security scheme of a realm's session cookie: `userSession`, `adminSession`, `partnerSession`, … */
export function sessionSchemeName(realm: Pick<RealmPolicy, "name">): string {
  return `${realm.name}Session`;
}

/** The security scheme of a realm's CSRF header, which unsafe operations need beside the cookie. */
export function csrfSchemeName(realm: Pick<RealmPolicy, "name">): string {
  return `${realm.name}Csrf`;
}

type SecurityScheme =
  | { type: "apiKey"; in: "cookie" | "header"; name: string; description: string }
  | { type: "http"; scheme: "bearer"; description: string };

/**
 * One cookie scheme per realm, named as `sessionCookieName` names the cookie, one CSRF header scheme per
 * realm, plus the cron bearer secret.
 */
export function securitySchemes(options: OpenApiOptions): Record<string, SecurityScheme> {
  const schemes: Record<string, SecurityScheme> = {};
  for (const realm of options.realms) {
    schemes[sessionSchemeName(realm)] = {
      type: "apiKey",
      in: "cookie",
      name: sessionCookieName(realm, options.cookies),
      description:
        `The ${realm.name} realm's session cookie (HttpOnly, set by its sign-in). ` +
        `Unsafe methods also need the session's CSRF token (${csrfSchemeName(realm)}).`,
    };
    schemes[csrfSchemeName(realm)] = {
      type: "apiKey",
      in: "header",
      name: "X-CSRF-Token",
      description:
        `The ${realm.name} session's CSRF token (csrfToken from sign-in or GET /api/${realm.name}/auth/session), ` +
        "required with the session cookie on every unsafe method (POST, PUT, PATCH, DELETE).",
    };
  }
  schemes.cronSecret = { type: "http", scheme: "bearer", description: "CRON_SECRET" };
  return schemes;
}

/**
 * What the document says about a route from its own `config.gatehouse`, so no route repeats it: the
 * realm's session scheme when the route reads a session (optional sessions allow anonymous calls too),
 * and the permission an admin route needs. Runs as an onRoute hook before @fastify/swagger records the route.
 */
export function documentRouteMeta(route: RouteOptions, schemeNames: ReadonlySet<string>): void {
  const meta = route.config?.gatehouse;
  const schema = route.schema as Record<string, unknown> | undefined;
  if (schema?.hide === true) return;
  if (!meta?.realm || meta.auth === "none") {
    // Sessionless: says so explicitly (no security), unless the route declares its own (the cron bearer).
    if (schema && schema.security === undefined) schema.security = [];
    return;
  }
  const scheme = sessionSchemeName(meta.realm);
  if (!schemeNames.has(scheme))
    throw new Error(`${route.method} ${route.url}: realm ${meta.realm.name} is not registered`);
  const documented: Record<string, unknown> = schema ?? {};
  // Unsafe methods need the cookie AND the CSRF header (one requirement with both schemes). As a
  // security scheme, not a parameter, a generated client is not made to pass it by hand on every call.
  const methods = [route.method].flat().map((method) => String(method).toUpperCase());
  const unsafe = methods.some((method) => ["POST", "PUT", "PATCH", "DELETE"].includes(method));
  const requirement = unsafe ? { [scheme]: [], [csrfSchemeName(meta.realm)]: [] } : { [scheme]: [] };
  documented.security = meta.auth === "required" ? [requirement] : [requirement, {}];
  if (meta.permission) documented[permissionExtension] = meta.permission;
  if (meta.stepUp) documented[stepUpExtension] = true;
  route.schema = documented;
}

/** Reference strings (`$ref`) anywhere in a JSON value. */
function refsIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.add(child);
      else refsIn(child, found);
    }
  }
  return found;
}

const schemaRefPrefix = "#/components/schemas/";

type DocumentedOperation = { responses?: Record<string, unknown> };

/**
 * Every operation can answer 400 `token_in_url` (the guard refuses a session token in any URL): said
 * where an operation lists no 4xx of its own.
 */
export function withTokenInUrlAnswer<T extends object>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, DocumentedOperation>> }).paths ?? {};
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) {
      const responses = operation.responses ?? {};
      if (!Object.keys(responses).some((status) => status.startsWith("4"))) {
        operation.responses = {
          ...responses,
          400: {
            description: "token_in_url: a session token in the URL is refused on every route",
            content: { "application/json": { schema: { $ref: `${schemaRefPrefix}ErrorResponse` } } },
          },
        };
      }
    }
  }
  return document;
}

/**
 * Keeps only the component schemas the operations reach. The zod registry holds every named schema of
 * the process twice (output `X`, input `XInput`); a client should see each shape once, as answered.
 */
export function withoutUnreachableSchemas<T extends object>(document: T): T {
  const { components, ...rest } = document as { components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas;
  if (!schemas) return document;
  const queue = [...refsIn(rest, new Set())];
  const reached = new Set<string>();
  while (queue.length > 0) {
    const ref = queue.pop() as string;
    if (!ref.startsWith(schemaRefPrefix)) continue;
    const name = ref.slice(schemaRefPrefix.length);
    if (reached.has(name)) continue;
    reached.add(name);
    queue.push(...refsIn(schemas[name], new Set()));
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
  return { ...document, components: { ...components, schemas: kept } };
}

/** OpenAPI 3.1 from the routes' zod schemas at /api/openapi.json, and a docs page at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const schemes = securitySchemes(options);
  const schemeNames = new Set(Object.keys(schemes));
  // Before @fastify/swagger's own onRoute hook, so the route it records already carries this.
  app.addHook("onRoute", (route) => documentRouteMeta(route, schemeNames));
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Gatehouse",
        version: "0.1.0",
        license: { name: "MIT", identifier: "MIT" },
        description:
          "Session and access server. Errors are `{ error: { code, message, details? } }`; see docs/errors.md for the codes. " +
          `Admin operations name the permission they need in \`${permissionExtension}\`; sensitive ones carry ` +
          `\`${stepUpExtension}: true\` (a re-authentication within 5 minutes, else 403 \`step_up_required\`).`,
      },
      servers: [{ url: "/", description: "The Gatehouse serving this document (PUBLIC_URL)" }],
      components: { securitySchemes: schemes },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => withoutUnreachableSchemas(withTokenInUrlAnswer(jsonSchemaTransformObject(document))),
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
