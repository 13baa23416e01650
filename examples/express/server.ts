import { buildExampleApp } from "./app.ts";

// GATEHOUSE_URL=http://127.0.0.1:3000 PORT=4001 node --conditions=gatehouse-source --import tsx examples/express/server.ts
const port = Number(process.env.PORT ?? 4001);
buildExampleApp({ gatehouseUrl: process.env.GATEHOUSE_URL ?? "http://127.0.0.1:3000" }).listen(port, "127.0.0.1");
