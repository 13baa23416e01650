import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

const liveness = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });

/** GET /healthz: the process is alive. Touches nothing else, so a slow database never restarts it. */
export function registerHealthz(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/healthz",
    config: { gatehouse: { auth: "none" } },
    schema: { tags: ["operations"], summary: "Liveness", operationId: "checkLiveness", response: { 200: liveness } },
    handler: async () => ({ status: "ok" as const }),
  });
}
