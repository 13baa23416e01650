/**
 * Scenario (a): the bare-framework baseline. The same Fastify version as the server (the workspace's
 * hoisted `fastify`), no plugins, no logger, one GET route answering a small JSON body: the floor an
 * authenticated request is compared with. PORT from the environment.
 */
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/bench", async () => ({ ok: true, realm: "user", at: new Date().toISOString() }));
app.get("/healthz", async () => ({ status: "ok" }));

const port = Number(process.env.PORT ?? "4100");
await app.listen({ port, host: "127.0.0.1" });
process.on("SIGINT", () => {
  void app.close().then(() => process.exit(0));
});
