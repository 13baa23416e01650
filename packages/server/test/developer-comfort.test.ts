import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/http/logger.ts";
import { fileOutboxMailer, latestOutboxMails } from "../src/mail/mailer.ts";
import { createTestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer } from "./support/test-server.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe("logs", () => {
  it("are readable lines in development and JSON in production, unless LOG_FORMAT says otherwise", () => {
    expect(loadConfig({}).logFormat).toBe("pretty");
    expect(loadConfig({ NODE_ENV: "test" }).logFormat).toBe("json");
    expect(
      loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://a.example.com", SESSION_SECRET: "s".repeat(32) })
        .logFormat,
    ).toBe("json");
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ LOG_FORMAT: "yaml" })).toThrow(/LOG_FORMAT/);
  });

  it("pretty: one readable line, secrets still redacted", () => {
    const { lines, destination } = capture();
    createLogger({ level: "info", destination, pretty: true }).info({ body: { password: "hunter2-secret" } }, "hello");
    const text = lines.join("");
    expect(text).toMatch(/INFO.*hello/);
    expect(() => JSON.parse(text)).toThrow();
    expect(text).not.toContain("hunter2-secret");
    expect(text).toContain("[redacted]");
  });

  it("json: one object a line", () => {
    const { lines, destination } = capture();
    createLogger({ level: "info", destination }).info({ body: { password: "hunter2-secret" } }, "hello");
    expect(JSON.parse(lines.join(""))).toMatchObject({ msg: "hello", body: { password: "[redacted]" } });
  });
});

describe("the file outbox", () => {
  it("writes a .txt beside each .eml whose reset link, copied as is, resets the password", async () => {
    const outbox = mkdtempSync(path.join(os.tmpdir(), "gatehouse-outbox-"));
    const db = await createTestDatabase();
    const server = await startTestServer({
      database: db.database,
      mailer: fileOutboxMailer(outbox, "Gatehouse <no-reply@localhost>"),
    });
    try {
      await createAccount(server.ctx, "user", "outbox@example.com", "outbox password 12345");
      const asked = await fetch(`${server.baseUrl}/api/user/auth/password-reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "outbox@example.com" }),
      });
      expect(asked.status).toBe(202);
      await vi.waitFor(() => expect(readdirSync(outbox).filter((f) => f.endsWith(".eml"))).toHaveLength(1), {
        timeout: 15_000,
      });
      const [mail] = await latestOutboxMails(outbox, 5);
      expect(mail?.file.endsWith(".txt")).toBe(true);
      expect(mail?.text).toMatch(/^From: Gatehouse <no-reply@localhost>\nTo: outbox@example\.com\nSubject: /);
      // The line holding the link is the link: no quoted-printable soft breaks or =3D.
      const line = mail?.text.split("\n").find((l) => l.includes("/reset-password?")) ?? "";
      const link = new URL(line.slice(line.indexOf("http")).trim());
      const token = link.searchParams.get("token") ?? "";
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const confirmed = await fetch(`${server.baseUrl}/api/user/auth/password-reset/confirm`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, newPassword: "a brand new password 678" }),
      });
      expect(confirmed.status).toBe(200);
    } finally {
      await server.close();
      await db.drop();
    }
  }, 90_000);
});
