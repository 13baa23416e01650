import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultRealmPolicies } from "@gatehouse/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { resolveSessionSecret } from "../src/session-secret.ts";
import { startServerProcess, stopAllChildren } from "./support/child-process.ts";

const secret = "s".repeat(32);

/** The ConfigError message for `env`; fails the test when loadConfig accepts it. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig defaults", () => {
  it("listens on 3000, keeps data in ./data (resolved) and uses secure cookies on http://localhost", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve("./data"));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.publicUrl.origin).toBe("http://localhost:3000");
    expect(config.cookies.secure).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sessionSecret).toBeUndefined();
    expect(config.warnings).toEqual([]);
    expect(config.realms.map((realm) => realm.name)).toEqual(["user", "admin"]);
    expect(config.realms[1]?.idleTimeoutSeconds).toBe(defaultRealmPolicies.admin.idleTimeoutSeconds);
  });

  it("treats https and 127.0.0.1 as secure origins", () => {
    expect(loadConfig({ PUBLIC_URL: "https://auth.example.com" }).cookies.secure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: "http://127.0.0.1:8080" }).cookies.secure).toBe(true);
  });

  it("reads the timeouts per realm", () => {
    const config = loadConfig({
      USER_IDLE_TIMEOUT_SECONDS: "600",
      USER_ABSOLUTE_TIMEOUT_SECONDS: "7200",
      USER_REMEMBER_ME_TIMEOUT_SECONDS: "86400",
      ADMIN_IDLE_TIMEOUT_SECONDS: "60",
      ADMIN_ABSOLUTE_TIMEOUT_SECONDS: "3600",
    });
    const [user, admin] = config.realms;
    expect(user).toMatchObject({
      name: "user",
      idleTimeoutSeconds: 600,
      absoluteTimeoutSeconds: 7200,
      rememberMeAbsoluteTimeoutSeconds: 86400,
    });
    expect(admin).toMatchObject({ name: "admin", idleTimeoutSeconds: 60, absoluteTimeoutSeconds: 3600 });
  });

  it("allows plain-http cookies on a non-local host only when asked, with a warning", () => {
    const config = loadConfig({ PUBLIC_URL: "http://gatehouse.lan", ALLOW_INSECURE_COOKIES: "true" });
    expect(config.cookies.secure).toBe(false);
    expect(config.warnings.join("\n")).toMatch(/without Secure/);
  });
});

describe("loadConfig refuses bad values, naming the variable", () => {
  const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
    ["PORT not a number", { PORT: "abc" }, /PORT/],
    ["PORT out of range", { PORT: "70000" }, /PORT/],
    ["PUBLIC_URL not a URL", { PUBLIC_URL: "not a url" }, /PUBLIC_URL/],
    ["PUBLIC_URL not http(s)", { PUBLIC_URL: "ftp://example.com" }, /PUBLIC_URL/],
    ["SESSION_SECRET too short", { SESSION_SECRET: "short" }, /SESSION_SECRET/],
    ["DATABASE_URL not postgres", { DATABASE_URL: "mysql://localhost/db" }, /DATABASE_URL/],
    ["timeout not positive", { ADMIN_IDLE_TIMEOUT_SECONDS: "0" }, /ADMIN_IDLE_TIMEOUT_SECONDS/],
    ["timeout not a number", { USER_IDLE_TIMEOUT_SECONDS: "a week" }, /USER_IDLE_TIMEOUT_SECONDS/],
    [
      "plain http on a non-local host without ALLOW_INSECURE_COOKIES",
      { PUBLIC_URL: "http://gatehouse.example.com" },
      /PUBLIC_URL.*ALLOW_INSECURE_COOKIES/s,
    ],
    [
      "ALLOW_INSECURE_COOKIES in production",
      {
        NODE_ENV: "production",
        SESSION_SECRET: secret,
        PUBLIC_URL: "http://gatehouse.example.com",
        ALLOW_INSECURE_COOKIES: "true",
      },
      /^ALLOW_INSECURE_COOKIES/,
    ],
    [
      "missing SESSION_SECRET in production",
      { NODE_ENV: "production", PUBLIC_URL: "https://auth.example.com" },
      /^SESSION_SECRET/,
    ],
    [
      "admin absolute timeout shorter than idle",
      { ADMIN_IDLE_TIMEOUT_SECONDS: "3600", ADMIN_ABSOLUTE_TIMEOUT_SECONDS: "600" },
      /^ADMIN_ABSOLUTE_TIMEOUT_SECONDS/,
    ],
  ];
  it.each(cases)("%s", (_name, env, pattern) => {
    expect(refusal(env)).toMatch(pattern);
  });

  it("accepts production with https and a long secret", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "https://auth.example.com",
      SESSION_SECRET: secret,
    });
    expect(config.sessionSecret).toBe(secret);
  });
});

describe("resolveSessionSecret", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-secret-"));
    dirs.push(dir);
    return path.join(dir, "data"); // not created yet, like a first boot
  };

  it("generates one on first boot, keeps it with mode 0600 and reuses it on the next boot", () => {
    const dir = dataDir();
    const first = resolveSessionSecret(loadConfig({ DATA_DIR: dir }));
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "session-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
    expect(resolveSessionSecret(loadConfig({ DATA_DIR: dir }))).toBe(first);
    expect(resolveSessionSecret(loadConfig({ DATA_DIR: dataDir() }))).not.toBe(first);
  });

  it("uses SESSION_SECRET when set and writes nothing", () => {
    const dir = dataDir();
    expect(resolveSessionSecret(loadConfig({ DATA_DIR: dir, SESSION_SECRET: secret }))).toBe(secret);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe("boot with a bad value", () => {
  afterEach(() => stopAllChildren());

  it("main.ts exits 1 and names the variable", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-boot-"));
    try {
      const result = await startServerProcess({ DATA_DIR: dir, PORT: "not-a-port" }).wait();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/PORT/);
      expect(result.stdout).not.toMatch(/listening/);
      expect(fs.readdirSync(dir)).toEqual([]); // stopped before touching the data dir
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
