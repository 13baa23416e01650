import { buildExampleApp } from "./app.ts";

// GATEHOUSE_URL=http://127.0.0.1:3000 PORT=4000 node --conditions=gatehouse-source --import tsx examples/fastify/server.ts
const app = buildExampleApp({ gatehouseUrl: process.env.GATEHOUSE_URL ?? "http://127.0.0.1:3000" });
await app.listen({ port: Number(process.env.PORT ?? 4000), host: "127.0.0.1" });
