import type { FastifyInstance } from "fastify";

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>${title}</h1>${body}
<p>The web app arrives in a later release. Until then, use the <a href="/api/docs">API documentation</a>
(<a href="/api/openapi.json">OpenAPI 3.1</a>).</p></body></html>`;

/** Placeholder pages for the user dashboard (/) and the admin console (/admin) until the web app lands. */
export function registerPages(app: FastifyInstance): void {
  const pages = [
    { url: "/", html: page("Gatehouse", "<p>The user dashboard will live here.</p>") },
    { url: "/admin", html: page("Gatehouse admin", "<p>The admin console will live here.</p>") },
  ];
  for (const { url, html } of pages) {
    app.route({
      method: "GET",
      url,
      config: { gatehouse: { auth: "none" } },
      schema: { hide: true },
      handler: async (_request, reply) => reply.type("text/html; charset=utf-8").send(html),
    });
  }
}
