import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envSchema, loadConfig } from "../src/config.ts";

/**
 * No container engine runs here, so the Dockerfile and compose.yaml are checked for structure: a
 * multi-stage build on the supported Node, production dependencies only, a non-root user, a health
 * check on /healthz, the bundle `npm run build:server` makes; two nodes behind a proxy on one
 * PostgreSQL and one Redis, configured with variables Gatehouse reads and accepts.
 */
const root = path.join(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; scripts: Record<string, string> };
const supportedMajor = semver.minVersion(pkg.engines.node)?.major;

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions by stage (continuation lines joined, comments dropped). */
function dockerStages(): { name: string; image: string; instructions: Instruction[] }[] {
  const text = read("Dockerfile").replace(/\\\n\s*/g, " ");
  const stages: { name: string; image: string; instructions: Instruction[] }[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const [keyword = "", ...rest] = trimmed.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [image = "", as, name = ""] = args.split(/\s+/);
      expect(as?.toUpperCase(), `FROM ${args}: every stage is named`).toBe("AS");
      stages.push({ name, image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

describe("Dockerfile", () => {
  const stages = dockerStages();
  const runtime = stages.at(-1);
  const all = (keyword: string) => runtime?.instructions.filter((i) => i.keyword === keyword) ?? [];

  it("is multi-stage, every stage on the supported Node line", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(new RegExp(`^node:${supportedMajor}[.-]`));
    const names = stages.map((s) => s.name);
    stages.forEach((stage, index) => {
      for (const copy of stage.instructions.filter((i) => i.keyword === "COPY")) {
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        if (from) expect(names.slice(0, index), `${stage.name}: COPY ${copy.args}`).toContain(from);
      }
    });
  });

  it("copies only files that exist and that .dockerignore lets through", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === "COPY" && !i.args.includes("--from"))) {
        const sources = copy.args
          .split(/\s+/)
          .filter((a) => !a.startsWith("--"))
          .slice(0, -1);
        for (const source of sources) {
          expect(existsSync(path.join(root, source)), `COPY ${source}`).toBe(true);
          expect(ignored, `COPY ${source} is dockerignored`).not.toContain(source);
        }
      }
    }
    expect(ignored).toEqual(expect.arrayContaining(["**/node_modules", "**/dist", ".env"]));
  });

  it("builds with the repository's build script and ships production dependencies only", () => {
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args));
    expect(runs).toContain("npm run build:server");
    expect(pkg.scripts["build:server"]).toBeDefined();
    const runtimeSources = all("COPY").map((c) => c.args);
    // The runtime's node_modules come from a stage that installed with --omit=dev.
    const modulesFrom = runtimeSources
      .filter((args) => args.includes("node_modules"))
      .map((args) => /--from=(\S+)/.exec(args)?.[1]);
    expect(modulesFrom.length).toBeGreaterThan(0);
    for (const from of modulesFrom) {
      const stage = stages.find((s) => s.name === from);
      expect(stage?.instructions.some((i) => i.keyword === "RUN" && /npm ci .*--omit=dev/.test(i.args))).toBe(true);
    }
    expect(JSON.stringify(runtime)).not.toMatch(/tsx/);
  });

  it("runs the bundle as a non-root user, with a health check on /healthz", () => {
    const users = all("USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)(:|$)/);
    const health = all("HEALTHCHECK");
    expect(health).toHaveLength(1);
    expect(health[0]?.args).toMatch(/\/healthz/);
    expect(all("CMD").at(-1)?.args).toBe('["node", "packages/server/dist/main.js"]');
    const env = all("ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toMatch(/NODE_ENV=production/);
    expect(env).toMatch(/HOST=0\.0\.0\.0/);
  });
});

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml"), { merge: true }) as {
    services: Record<string, any>;
    configs?: Record<string, { content?: string }>;
  };
  const services = compose.services;
  const nodes = Object.entries(services).filter(([, s]) => s.build === ".");
  const proxyEntry = Object.entries(services).find(([name]) => name === "proxy");

  it("has PostgreSQL, Redis, a proxy and two Gatehouse nodes built from this repository", () => {
    expect(services.postgres?.image).toMatch(/^postgres:15/);
    expect(services.redis?.image).toMatch(/^redis:/);
    expect(proxyEntry).toBeDefined();
    expect(nodes.length).toBe(2);
    for (const name of ["postgres", "redis"]) expect(services[name].healthcheck?.test, name).toBeDefined();
  });

  it("configures every node alike, with variables Gatehouse reads and accepts", () => {
    const known = Object.keys(envSchema.shape);
    const envs = nodes.map(([, s]) => s.environment as Record<string, string>);
    expect(envs[0]).toEqual(envs[1]); // stateless and interchangeable
    for (const env of envs) {
      for (const name of Object.keys(env)) expect(known, name).toContain(name);
      expect(env.NODE_ENV).toBe("production");
      expect(new URL(env.DATABASE_URL as string).hostname).toBe("postgres");
      expect(new URL(env.REDIS_URL as string).hostname).toBe("redis");
      expect(env.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/); // one shared secret, required
      // What the node would load, with compose's defaults substituted.
      const resolved = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
          k,
          String(v).replace(/\$\{([A-Z_]+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name, fallback) =>
            name === "SESSION_SECRET" ? "Zq8v-N3x_pL0w2Rk7sYt4uBm9cHd6eFg1jAi5oQ" : (fallback ?? ""),
          ),
        ]),
      );
      expect(() => loadConfig(resolved)).not.toThrow();
    }
    for (const [, node] of nodes) {
      expect(node.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(node.depends_on?.redis?.condition).toBe("service_healthy");
    }
  });

  it("puts the proxy in front of both nodes, checking /readyz, and trusts only its address", () => {
    const [, proxy] = proxyEntry as [string, any];
    expect(proxy.ports?.length).toBeGreaterThan(0);
    const address = proxy.networks?.gatehouse?.ipv4_address;
    expect(address).toBeTruthy();
    for (const [, node] of nodes) expect(node.environment.TRUSTED_PROXIES).toBe(address);
    const config = proxy.configs?.map((c: { source: string }) => compose.configs?.[c.source]?.content).join("\n");
    for (const [name] of nodes) expect(config).toContain(`${name}:3000`);
    expect(config).toMatch(/health_uri \/readyz/);
    for (const [name] of nodes) expect(proxy.depends_on?.[name]?.condition).toBe("service_healthy");
  });
});
