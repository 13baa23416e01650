import http from "node:http";
import net from "node:net";
import type { ErrorCode } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { Browser } from "../support/browser.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "../support/test-server.ts";

/** Shared by the bad-input rows and their runner: the server, the live sessions, and raw HTTP. */

export const email = "farah@example.com";
export const password = "correct horse battery 1";
/** A string shaped like a token (`<22>.<43>`), never issued. */
export const fakeToken = `${"A".repeat(22)}.${"b".repeat(43)}`;

export interface Row {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Raw body bytes; objects are JSON-encoded with content-type application/json. */
  body?: string | Buffer | object;
  /** Send the request bytes as written, over a plain socket (for what http.request refuses to send). */
  raw?: string;
  status: number;
  /** Expected error code; null for a documented non-error answer (logout is idempotent: 204). */
  code: ErrorCode | null;
  /** Values that must never come back in a response or reach the log. */
  secrets?: string[];
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** What exists only once `setUp` has run; rows are built lazily so they can read it. */
export interface Live {
  server: TestServer;
  /** A real, live user-realm token: it must still never authenticate from the URL. */
  token: string;
  adminToken: string;
  /** The CSRF token per realm, issued with the live sessions. */
  csrf: Record<string, string>;
}

let db: TestDatabase | undefined;
let server: TestServer | undefined;
let current: Live | undefined;

export function live(): Live {
  if (!current) throw new Error("bad-input harness: setUp() has not run");
  return current;
}

/** For `beforeAll`: a server with one account per realm, signed in to both. */
export async function setUp(): Promise<void> {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  await createAccount(server.ctx, "user", email, password);
  await createAccount(server.ctx, "admin", email, password);
  const browser = new Browser(server.baseUrl);
  expect((await browser.login("user", email, password)).status).toBe(200);
  const token = (await browser.cookie("__Host-user_session")) ?? "";
  expect(token).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
  expect((await browser.login("admin", email, password)).status).toBe(200);
  const adminToken = (await browser.cookie("__Host-admin_session")) ?? "";
  const csrf: Record<string, string> = { ...browser.csrf };
  expect(Object.keys(csrf).sort()).toEqual(["admin", "user"]);
  current = { server, token, adminToken, csrf };
}

/** For `afterAll`: also after a setUp that failed half way. */
export async function tearDown(): Promise<void> {
  await server?.close();
  await db?.drop();
}

export const host = () => new URL(live().server.baseUrl).host;
export const login = (realm: string) => `/api/${realm}/auth/login`;
export const json = { "content-type": "application/json" };
export const cookie = (value: string) => ({ cookie: value });

export function send(row: Row): Promise<Reply> {
  if (row.raw !== undefined) return sendRaw(row.raw);
  const url = new URL(row.path, live().server.baseUrl);
  const headers: Record<string, string | number> = { ...row.headers };
  let body: Buffer | undefined;
  if (row.body !== undefined) {
    if (typeof row.body === "string" || Buffer.isBuffer(row.body)) body = Buffer.from(row.body);
    else {
      body = Buffer.from(JSON.stringify(row.body));
      headers["content-type"] ??= "application/json";
    }
    if (headers["transfer-encoding"] === undefined) headers["content-length"] = body.length;
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: row.method, headers }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    // The server may answer (413) and close before a large body is fully written.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (body) request.write(body, () => {});
    request.end();
  });
}

function sendRaw(raw: string): Promise<Reply> {
  const { hostname, port } = new URL(live().server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname === "localhost" ? "127.0.0.1" : hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const status = Number(statusLine.split(" ")[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const headers: http.IncomingHttpHeaders = {};
      for (const line of headerLines) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status, headers, text: rest.join("\r\n\r\n") });
    });
    socket.write(raw, "latin1");
  });
}

export async function counts(): Promise<{ principals: number; sessions: number }> {
  const count = async (table: "principals" | "sessions") => {
    const result = await live().server.ctx.database.db.execute(sql`select count(*) as n from ${sql.identifier(table)}`);
    const rows = (result as unknown as { rows: { n: unknown }[] }).rows;
    return Number(rows[0]?.n);
  };
  return { principals: await count("principals"), sessions: await count("sessions") };
}
