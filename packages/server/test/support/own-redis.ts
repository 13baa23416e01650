import { type ChildProcess, spawn } from "node:child_process";
import { createConnection } from "node:net";

/**
 * A redis-server of the test's own on a random port, which the test may kill and start again (an
 * outage other test files never see). The binary is on every machine where REDIS_URL is configured.
 */
export class OwnRedis {
  readonly port = 20_000 + Math.floor(Math.random() * 20_000);
  readonly url = `redis://127.0.0.1:${this.port}`;
  private process: ChildProcess | null = null;

  async start(): Promise<void> {
    this.process = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await waitFor(() => this.answers(), 30_000);
  }

  async kill(): Promise<void> {
    this.process?.kill("SIGKILL");
    this.process = null;
    await waitFor(async () => !(await this.answers()), 5000);
  }

  answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ port: this.port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
