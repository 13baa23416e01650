import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./child-process.ts";

/** Debian's nginx (`nginx-light`); `.ci/run` installs it when missing. */
export const nginxBinary = "/usr/sbin/nginx";
export const nginxInstalled = existsSync(nginxBinary);

/** The documented configuration (docs/forward-auth.md shows this file); the tests run exactly it. */
export const documentedNginxConfig = path.join(repoRoot, "docs/examples/nginx-forward-auth.conf");

/** A port nothing listens on right now (the kernel's pick), for a process that cannot report its own. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Replaces `from` by `to` and insists it was there exactly once, so an edit of the documented file fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected "${from}" exactly once in ${documentedNginxConfig}`);
  return parts.join(to);
}

/**
 * The documented configuration with its listen line and upstream addresses pointed at this test's
 * processes, inside a main configuration that keeps everything in `dir`: pid, error log and temp
 * paths, `daemon off`, the current user (root only when the tests run as root).
 */
export function nginxConfig(options: { dir: string; port: number; gatehousePort: number; appPort: number }): string {
  let site = readFileSync(documentedNginxConfig, "utf8");
  site = replaceOnce(site, "    listen 80;", `    listen 127.0.0.1:${options.port};`);
  site = replaceOnce(site, "server 127.0.0.1:3000;", `server 127.0.0.1:${options.gatehousePort};`);
  site = replaceOnce(site, "server 127.0.0.1:8080;", `server 127.0.0.1:${options.appPort};`);
  const dir = options.dir;
  return [
    "daemon off;",
    process.getuid?.() === 0 ? "user root;" : "",
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 256; }",
    "http {",
    "  access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${dir}/${kind};`),
    site,
    "}",
  ].join("\n");
}

export interface RunningNginx {
  baseUrl: string;
  port: number;
  /** What nginx wrote to its error log (for failure messages). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx listening on `port` (from `freePort`, known beforehand because Gatehouse's PUBLIC_URL
 * names it) on the configuration `build` gives for its own directory, and waits until it accepts connections.
 */
export async function startNginx(port: number, build: (dir: string) => string): Promise<RunningNginx> {
  if (!nginxInstalled) throw new Error(`${nginxBinary} is missing: install nginx-light (apt-get install nginx-light)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-nginx-"));
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(conf, build(dir));
  const errors = () =>
    existsSync(path.join(dir, "error.log")) ? readFileSync(path.join(dir, "error.log"), "utf8") : "";
  let output = "";
  const child: ChildProcess = spawn(nginxBinary, ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.on("close", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`nginx exited at start:\n${output}\n${errors()}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start listening:\n${output}\n${errors()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { baseUrl: `http://localhost:${port}`, port, errors, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
