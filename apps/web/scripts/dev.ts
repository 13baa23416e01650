import { spawn } from "node:child_process";
import path from "node:path";

/**
 * `npm run dev`: the Gatehouse server on API_PORT (default 3000) and Vite with hot reload on
 * WEB_DEV_PORT (default 5173) in front of it. The browser only talks to Vite's origin (it proxies /api),
 * so the server's PUBLIC_URL is that origin: cookies, CSRF and the cross-site check see one origin.
 */
const repoDir = path.resolve(import.meta.dirname, "../../..");
const apiPort = process.env.API_PORT ?? "3000";
const webPort = process.env.WEB_DEV_PORT ?? "5173";
const origin = `http://localhost:${webPort}`;

const children = [
  spawn("npx", ["tsx", "watch", "packages/server/src/main.ts"], {
    cwd: repoDir,
    stdio: "inherit",
    env: { ...process.env, PORT: apiPort, PUBLIC_URL: process.env.PUBLIC_URL ?? origin },
  }),
  spawn("npm", ["run", "dev", "--workspace", "@gatehouse/web"], {
    cwd: repoDir,
    stdio: "inherit",
    env: { ...process.env, WEB_DEV_PORT: webPort, GATEHOUSE_API: `http://localhost:${apiPort}` },
  }),
];
process.stdout.write(`\nGatehouse dev: open ${origin} (API on :${apiPort}, proxied)\n\n`);
const stop = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children)
  child.on("exit", (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
