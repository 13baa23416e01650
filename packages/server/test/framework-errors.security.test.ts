import net from "node:net";
import { type ErrorCode, errorCatalog } from "@gatehouse/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Errors Fastify or Node raise before (or instead of) a route: each must answer in the catalog's
 * shape with its stable code, carry the security headers, and never echo the path it was sent.
 * Requests go over a plain socket so the bytes (bad escapes, odd methods) reach the server as written.
 */

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** In every path, so an echo of the path in the body is easy to see. */
const marker = "echoMarker7";

interface Row {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: ErrorCode;
}

const json = { "content-type": "application/json" };
const login = `/api/user/auth/login?${marker}`;

const rows: Row[] = [
  {
    name: "bad percent-escape in a parameter",
    method: "GET",
    path: `/api/user/sessions/%ZZ${marker}`,
    status: 400,
    code: "bad_request",
  },
  {
    name: "bad percent-escape, DELETE",
    method: "DELETE",
    path: `/api/user/sessions/${marker}%E0%A4%A`,
    status: 400,
    code: "bad_request",
  },
  {
    name: "5,000-character parameter",
    method: "DELETE",
    path: `/api/user/sessions/${marker}${"a".repeat(5000)}`,
    status: 414,
    code: "uri_too_long",
  },
  {
    name: "over-long admin parameter",
    method: "POST",
    path: `/api/admin/principals/${marker}${"b".repeat(200)}/disable`,
    status: 414,
    code: "uri_too_long",
  },
  {
    name: "URL over Node's header limit",
    method: "GET",
    path: `/api/user/${marker}${"c".repeat(20 * 1024)}`,
    status: 431,
    code: "headers_too_large",
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: login,
    headers: json,
    body: '{"email":',
    status: 400,
    code: "invalid_json",
  },
  {
    name: "form body",
    method: "POST",
    path: login,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "a=b",
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "body over 64 KiB",
    method: "POST",
    path: login,
    headers: json,
    body: `"${"d".repeat(70 * 1024)}"`,
    status: 413,
    code: "body_too_large",
  },
  { name: "unknown route", method: "GET", path: `/api/user/${marker}`, status: 404, code: "not_found" },
  { name: "unknown page", method: "GET", path: `/${marker}`, status: 404, code: "not_found" },
  { name: "bad percent-escape, no route", method: "GET", path: `/${marker}/%ZZ`, status: 400, code: "bad_request" },
  {
    name: "wrong method on a known path",
    method: "GET",
    path: `/api/user/auth/login?${marker}`,
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "method no route uses",
    method: "PROPFIND",
    path: `/api/user/auth/login?${marker}`,
    status: 405,
    code: "method_not_allowed",
  },
  { name: "method Node does not know", method: "BREW", path: `/api/user/${marker}`, status: 400, code: "bad_request" },
];

interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function sendRaw(row: Row): Promise<Reply> {
  const { port } = new URL(server.baseUrl);
  const head = [`${row.method} ${row.path} HTTP/1.1`, `Host: localhost:${port}`, "Connection: close"];
  for (const [name, value] of Object.entries(row.headers ?? {})) head.push(`${name}: ${value}`);
  if (row.body !== undefined) head.push(`Content-Length: ${Buffer.byteLength(row.body)}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {}); // the server may close before a large body is written
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [top = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = top.split("\r\n");
      const status = Number(statusLine.split(" ")[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status, headers, text: rest.join("\r\n\r\n") });
    });
    socket.write(`${head.join("\r\n")}\r\n\r\n${row.body ?? ""}`, "latin1");
  });
}

describe("framework errors answer in the catalog's shape", () => {
  for (const row of rows) {
    it(`${row.name}: ${row.status} ${row.code}`, async () => {
      const reply = await sendRaw(row);
      expect(reply.status).toBe(row.status);
      expect(JSON.parse(reply.text)).toEqual({ error: { code: row.code, message: errorCatalog[row.code].message } });
      expect(errorCatalog[row.code].status).toBe(row.status);
      expect(reply.text).not.toContain(marker);
      expect(reply.text).not.toMatch(/FST_|statusCode/);
      // The same headers security-headers.test.ts demands of every route class.
      expect(reply.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(reply.headers["content-security-policy"]).toMatch(/default-src 'self'/);
      expect(reply.headers["x-content-type-options"]).toBe("nosniff");
      expect(reply.headers["referrer-policy"]).toBe("no-referrer");
      expect(reply.headers["x-frame-options"]).toBe("DENY");
      expect(reply.headers["permissions-policy"]).toMatch(/camera=\(\)/);
      expect(reply.headers["cache-control"]).toBe("no-store");
    });
  }
});

it("sends the very headers a routed answer gets (one helmet configuration)", async () => {
  const routed = await sendRaw({ name: "", method: "GET", path: "/api/user/nothing", status: 404, code: "not_found" });
  const early = await sendRaw({
    name: "",
    method: "GET",
    path: "/api/user/sessions/%ZZ",
    status: 400,
    code: "bad_request",
  });
  const names = Object.keys(routed.headers).filter(
    (name) => !/^(date|content-length|connection|keep-alive)$/.test(name),
  );
  for (const name of names) expect(early.headers[name], name).toBe(routed.headers[name]);
});
