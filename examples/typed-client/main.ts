import { tour } from "./tour.ts";

// GATEHOUSE_URL=http://127.0.0.1:3000 EMAIL=… PASSWORD=… node --conditions=gatehouse-source --import tsx examples/typed-client/main.ts
const result = await tour(
  process.env.GATEHOUSE_URL ?? "http://127.0.0.1:3000",
  process.env.EMAIL ?? "",
  process.env.PASSWORD ?? "",
);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
