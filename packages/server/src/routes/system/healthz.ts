import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

/** GET /healthz: the process is alive. Touches nothing else, so a slow database never restarts it. */
export function registerHealthz(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/healthz",
    config: { gatehouse: { auth: "none" } },
    schema: { tags: ["operations"], summary: "Liveness", response: { 200: z.object({ status: z.literal("ok") }) } },
    handler: async () => ({ status: "ok" as const }),
  });
}
