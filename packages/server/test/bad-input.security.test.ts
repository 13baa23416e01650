import http from "node:http";
import net from "node:net";
import type { ErrorCode } from "@gatehouse/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./support/browser.ts";
import { createTestDatabase, type TestDatabase } from "./support/test-database.ts";
import { createAccount, startTestServer, type TestServer } from "./support/test-server.ts";

/**
 * Table-driven bad input over real HTTP: every row must get a 4xx (never a 500) with a stable code
 * in `{ error: { code, message } }`, no session cookie, no echo of a submitted secret in the body or
 * the logs, no stack trace, and nothing written to `principals` or `sessions`.
 */

const email = "farah@example.com";
const password = "correct horse battery 1";
/** A string shaped like a token (`<22>.<43>`), never issued. */
const fakeToken = `${"A".repeat(22)}.${"b".repeat(43)}`;

let db: TestDatabase;
let server: TestServer;
/** A real, live user-realm token: it must still never authenticate from the URL. */
let liveToken: string;
let liveAdminToken: string;
const csrf: Record<string, string> = {};
const host = () => new URL(server.baseUrl).host;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ database: db.database });
  await createAccount(server.ctx, "user", email, password);
  await createAccount(server.ctx, "admin", email, password);
  const browser = new Browser(server.baseUrl);
  expect((await browser.login("user", email, password)).status).toBe(200);
  liveToken = (await browser.cookie("__Host-user_session")) ?? "";
  expect(liveToken).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
  expect((await browser.login("admin", email, password)).status).toBe(200);
  liveAdminToken = (await browser.cookie("__Host-admin_session")) ?? "";
  Object.assign(csrf, browser.csrf);
  expect(Object.keys(csrf).sort()).toEqual(["admin", "user"]);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

interface Row {
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

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(row: Row): Promise<Reply> {
  if (row.raw !== undefined) return sendRaw(row.raw);
  const url = new URL(row.path, server.baseUrl);
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
  const { hostname, port } = new URL(server.baseUrl);
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

async function counts(): Promise<{ principals: number; sessions: number }> {
  const count = async (table: "principals" | "sessions") => {
    const result = await server.ctx.database.db.execute(sql`select count(*) as n from ${sql.identifier(table)}`);
    const rows = (result as unknown as { rows: { n: unknown }[] }).rows;
    return Number(rows[0]?.n);
  };
  return { principals: await count("principals"), sessions: await count("sessions") };
}

const login = (realm: string) => `/api/${realm}/auth/login`;
const json = { "content-type": "application/json" };
const cookie = (value: string) => ({ cookie: value });

function rowsFor(realm: "user" | "admin"): Row[] {
  const cookieName = `__Host-${realm}_session`;
  const path = login(realm);
  const pw = (tag: string) => `${realm} ${tag} secret pw 0001`;
  const loginRows: Row[] = [
    {
      name: "malformed JSON",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"${email}","password":"${pw("mal")}`,
      status: 400,
      code: "invalid_json",
      secrets: [pw("mal")],
    },
    { name: "empty JSON body", method: "POST", path, headers: json, body: "", status: 400, code: "invalid_json" },
    { name: "no body at all", method: "POST", path, status: 400, code: "validation_failed" },
    { name: "JSON null", method: "POST", path, headers: json, body: "null", status: 400, code: "validation_failed" },
    { name: "JSON array", method: "POST", path, headers: json, body: "[]", status: 400, code: "validation_failed" },
    {
      name: "JSON string",
      method: "POST",
      path,
      headers: json,
      body: `"${pw("str")}"`,
      status: 400,
      code: "validation_failed",
      secrets: [pw("str")],
    },
    {
      name: "form-encoded body",
      method: "POST",
      path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=${email}&password=${encodeURIComponent(pw("form"))}`,
      status: 415,
      code: "unsupported_media_type",
      secrets: [pw("form")],
    },
    {
      name: "text/plain body (refused: JSON only)",
      method: "POST",
      path,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ email, password }),
      status: 415,
      code: "unsupported_media_type",
      secrets: [password],
    },
    {
      name: "email is a number",
      method: "POST",
      path,
      body: { email: 123, password: pw("num") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("num")],
    },
    {
      name: "password is a number",
      method: "POST",
      path,
      body: { email, password: 123456789012345 },
      status: 400,
      code: "validation_failed",
    },
    {
      name: "password is an array",
      method: "POST",
      path,
      body: { email, password: [password] },
      status: 400,
      code: "validation_failed",
      secrets: [password],
    },
    {
      name: "rememberMe is a string",
      method: "POST",
      path,
      body: { email, password, rememberMe: "yes" },
      status: 400,
      code: "validation_failed",
      secrets: [password],
    },
    {
      name: "email is an object",
      method: "POST",
      path,
      body: { email: { $ne: "" }, password: pw("obj") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("obj")],
    },
    { name: "missing everything", method: "POST", path, body: {}, status: 400, code: "validation_failed" },
    { name: "missing password", method: "POST", path, body: { email }, status: 400, code: "validation_failed" },
    {
      name: "missing email",
      method: "POST",
      path,
      body: { password: pw("nomail") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("nomail")],
    },
    {
      name: "extra field",
      method: "POST",
      path,
      body: { email, password, isAdmin: true },
      status: 400,
      code: "validation_failed",
      secrets: [password],
    },
    {
      name: "__proto__ key",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"${email}","password":"${password}","__proto__":{"x":1}}`,
      status: 400,
      code: "invalid_json",
      secrets: [password],
    },
    {
      name: "2 MB body",
      method: "POST",
      path,
      body: { email, password: `${pw("big")}${"x".repeat(2 * 1024 * 1024)}` },
      status: 413,
      code: "body_too_large",
    },
    {
      name: "2 MB chunked body",
      method: "POST",
      path,
      headers: { ...json, "transfer-encoding": "chunked" },
      body: JSON.stringify({ email, password: "y".repeat(2 * 1024 * 1024) }),
      status: 413,
      code: "body_too_large",
    },
    {
      name: "NUL in email",
      method: "POST",
      path,
      body: { email: `farah\u0000@example.com`, password: pw("nul") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("nul")],
    },
    {
      name: "NUL in password",
      method: "POST",
      path,
      body: { email, password: `${password}\u0000` },
      status: 400,
      code: "validation_failed",
      secrets: [password],
    },
    {
      name: "lone surrogate in email",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"farah\\ud800@example.com","password":"${pw("sur")}"}`,
      status: 400,
      code: "validation_failed",
      secrets: [pw("sur")],
    },
    {
      name: "lone surrogate in password",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"${email}","password":"${pw("sur2")}\\udc00"}`,
      status: 400,
      code: "validation_failed",
      secrets: [pw("sur2")],
    },
    {
      name: "RTL override in email",
      method: "POST",
      path,
      body: { email: `\u202emoc.elpmaxe@harafa`, password: pw("rtl") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("rtl")],
    },
    {
      name: "zero-width space in email",
      method: "POST",
      path,
      body: { email: `far\u200bah@example.com`, password },
      status: 400,
      code: "validation_failed",
      secrets: [password],
    },
    {
      name: "emoji email",
      method: "POST",
      path,
      body: { email: "🔑🔑@example.com", password: pw("emoji") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("emoji")],
    },
    {
      name: "300-char email",
      method: "POST",
      path,
      body: { email: `${"a".repeat(288)}@example.com`, password: pw("long") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("long")],
    },
    {
      name: "Persian email",
      method: "POST",
      path,
      body: { email: "کاربر@example.com", password: pw("fa") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("fa")],
    },
    {
      name: "Arabic password, unknown account",
      method: "POST",
      path,
      body: { email: "nobody@example.com", password: "كلمة المرور السرية جدا" },
      status: 401,
      code: "invalid_credentials",
      secrets: ["كلمة المرور السرية جدا"],
    },
    {
      name: "emoji + RTL password, wrong",
      method: "POST",
      path,
      body: { email, password: `🔑\u202e\u200d${pw("rtlpw")}` },
      status: 401,
      code: "invalid_credentials",
      secrets: [pw("rtlpw")],
    },
    {
      name: "garbage cookie, wrong password",
      method: "POST",
      path,
      headers: cookie(`${cookieName}=%%%garbage`),
      body: { email, password: pw("gc") },
      status: 401,
      code: "invalid_credentials",
      secrets: [pw("gc")],
    },
    {
      name: "valid login with ?token=",
      method: "POST",
      path: `${path}?token=${fakeToken}`,
      body: { email, password },
      status: 400,
      code: "token_in_url",
      secrets: [password, fakeToken],
    },
    {
      name: `valid login with ?${cookieName}=`,
      method: "POST",
      path: `${path}?${cookieName}=${liveToken}`,
      body: { email, password },
      status: 400,
      code: "token_in_url",
      secrets: [password, liveToken],
    },
    { name: "wrong method on login", method: "GET", path, status: 405, code: "method_not_allowed" },
    { name: "DELETE on login", method: "DELETE", path, status: 405, code: "method_not_allowed" },
  ];

  const session = `/api/${realm}/auth/session`;
  const otherRows: Row[] = [
    { name: "session without cookie", method: "GET", path: session, status: 401, code: "not_authenticated" },
    {
      name: "session with garbage cookie",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=garbage`),
      status: 401,
      code: "not_authenticated",
    },
    {
      name: "session with well-formed unknown token",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=${fakeToken}`),
      status: 401,
      code: "not_authenticated",
      secrets: [fakeToken],
    },
    {
      name: "session with a 4 KB cookie",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=${"a".repeat(4096)}`),
      status: 401,
      code: "not_authenticated",
    },
    {
      name: "session with a 12 KB cookie",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=${"a".repeat(12 * 1024)}`),
      status: 401,
      code: "not_authenticated",
    },
    {
      name: "session with 300 cookies",
      method: "GET",
      path: session,
      headers: cookie(Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join("; ")),
      status: 401,
      code: "not_authenticated",
    },
    {
      name: "session with duplicate cookies",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=${fakeToken}; ${cookieName}=garbage`),
      status: 401,
      code: "not_authenticated",
      secrets: [fakeToken],
    },
    {
      name: "session with a 20 KB cookie header",
      method: "GET",
      path: session,
      headers: cookie(`${cookieName}=${"a".repeat(20 * 1024)}`),
      status: 431,
      code: "headers_too_large",
    },
    {
      name: "session cookie with NUL",
      raw: `GET ${session} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookieName}=ab\u0000cd\r\nConnection: close\r\n\r\n`,
      method: "GET",
      path: session,
      status: 400,
      code: "bad_request",
    },
    {
      name: "session cookie with a control char",
      raw: `GET ${session} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookieName}=ab\u0001cd\r\nConnection: close\r\n\r\n`,
      method: "GET",
      path: session,
      status: 400,
      code: "bad_request",
    },
    {
      name: "session with ?token=",
      method: "GET",
      path: `${session}?token=${liveToken}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: `session with ?${cookieName}=`,
      method: "GET",
      path: `${session}?${cookieName}=${liveToken}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "session with a padded ?t=",
      method: "GET",
      path: `${session}?t=%20${fakeToken}%20`,
      status: 400,
      code: "token_in_url",
      secrets: [fakeToken],
    },
    {
      name: "session with ?passive=maybe, no cookie",
      method: "GET",
      path: `${session}?passive=maybe`,
      status: 401,
      code: "not_authenticated",
    },
    { name: "POST on session", method: "POST", path: session, body: {}, status: 405, code: "method_not_allowed" },
    { name: "logout without cookie", method: "POST", path: `/api/${realm}/auth/logout`, status: 204, code: null },
    {
      name: "logout with garbage cookie",
      method: "POST",
      path: `/api/${realm}/auth/logout`,
      headers: cookie(`${cookieName}=garbage`),
      status: 204,
      code: null,
    },
    {
      name: "logout with a 12 KB cookie",
      method: "POST",
      path: `/api/${realm}/auth/logout`,
      headers: cookie(`${cookieName}=${"z".repeat(12 * 1024)}`),
      status: 204,
      code: null,
    },
    {
      name: "logout with malformed JSON",
      method: "POST",
      path: `/api/${realm}/auth/logout`,
      headers: json,
      body: "{",
      status: 400,
      code: "invalid_json",
    },
    {
      name: "logout with form body",
      method: "POST",
      path: `/api/${realm}/auth/logout`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
      status: 415,
      code: "unsupported_media_type",
    },
    {
      name: "logout with 2 MB body",
      method: "POST",
      path: `/api/${realm}/auth/logout`,
      body: { x: "x".repeat(2 * 1024 * 1024) },
      status: 413,
      code: "body_too_large",
    },
    {
      name: "logout with ?token=",
      method: "POST",
      path: `/api/${realm}/auth/logout?token=${liveToken}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "GET on logout",
      method: "GET",
      path: `/api/${realm}/auth/logout`,
      status: 405,
      code: "method_not_allowed",
    },
    { name: "unknown auth route", method: "GET", path: `/api/${realm}/auth/nope`, status: 404, code: "not_found" },
  ];
  return [...loginRows, ...otherRows].map((row) => ({ ...row, name: `${realm}: ${row.name}` }));
}

function signupRows(): Row[] {
  const path = "/api/user/auth/signup";
  const pw = (tag: string) => `signup ${tag} secret pw 0001`;
  return [
    {
      name: "malformed JSON",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"new@example.com","password":"${pw("mal")}"`,
      status: 400,
      code: "invalid_json",
      secrets: [pw("mal")],
    },
    { name: "empty JSON body", method: "POST", path, headers: json, body: "", status: 400, code: "invalid_json" },
    {
      name: "form-encoded body",
      method: "POST",
      path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a&password=b",
      status: 415,
      code: "unsupported_media_type",
    },
    {
      name: "wrong types",
      method: "POST",
      path,
      body: { email: true, password: pw("t"), displayName: 5 },
      status: 400,
      code: "validation_failed",
      secrets: [pw("t")],
    },
    {
      name: "missing password",
      method: "POST",
      path,
      body: { email: "new@example.com" },
      status: 400,
      code: "validation_failed",
    },
    {
      name: "extra field",
      method: "POST",
      path,
      body: { email: "new@example.com", password: pw("x"), realm: "admin" },
      status: 400,
      code: "validation_failed",
      secrets: [pw("x")],
    },
    {
      name: "2 MB body",
      method: "POST",
      path,
      body: { email: "new@example.com", password: pw("big"), displayName: "d".repeat(2 * 1024 * 1024) },
      status: 413,
      code: "body_too_large",
    },
    {
      name: "short password",
      method: "POST",
      path,
      body: { email: "new@example.com", password: "short1" },
      status: 400,
      code: "weak_password",
      secrets: ["short1"],
    },
    {
      name: "NUL in email",
      method: "POST",
      path,
      body: { email: "new\u0000@example.com", password: pw("nul") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("nul")],
    },
    {
      name: "NUL in password",
      method: "POST",
      path,
      body: { email: "new@example.com", password: `${pw("nul2")}\u0000` },
      status: 400,
      code: "validation_failed",
      secrets: [pw("nul2")],
    },
    {
      name: "lone surrogate in password",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"new@example.com","password":"${pw("sur")}\\ud800"}`,
      status: 400,
      code: "validation_failed",
      secrets: [pw("sur")],
    },
    {
      name: "NUL in displayName",
      method: "POST",
      path,
      body: { email: "new@example.com", password: pw("dn"), displayName: "Fa\u0000rah" },
      status: 400,
      code: "validation_failed",
      secrets: [pw("dn")],
    },
    {
      name: "lone surrogate in displayName",
      method: "POST",
      path,
      headers: json,
      body: `{"email":"new@example.com","password":"${pw("dn2")}","displayName":"\\udfff"}`,
      status: 400,
      code: "validation_failed",
      secrets: [pw("dn2")],
    },
    {
      name: "Persian email",
      method: "POST",
      path,
      body: { email: "فرح@example.com", password: pw("fa") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("fa")],
    },
    {
      name: "300-char email",
      method: "POST",
      path,
      body: { email: `${"b".repeat(288)}@example.com`, password: pw("long") },
      status: 400,
      code: "validation_failed",
      secrets: [pw("long")],
    },
    {
      name: "101-char displayName",
      method: "POST",
      path,
      body: { email: "new@example.com", password: pw("dnl"), displayName: "ف".repeat(101) },
      status: 400,
      code: "validation_failed",
      secrets: [pw("dnl")],
    },
    {
      name: "taken email",
      method: "POST",
      path,
      body: { email: email.toUpperCase(), password: pw("taken") },
      status: 409,
      code: "email_taken",
      secrets: [pw("taken")],
    },
    {
      name: "?token= in the URL",
      method: "POST",
      path: `${path}?token=${fakeToken}`,
      body: { email: "new@example.com", password: pw("q") },
      status: 400,
      code: "token_in_url",
      secrets: [pw("q"), fakeToken],
    },
    {
      name: "admin realm has no signup",
      method: "POST",
      path: "/api/admin/auth/signup",
      body: { email: "new@example.com", password: pw("adm") },
      status: 404,
      code: "not_found",
      secrets: [pw("adm")],
    },
  ].map((row) => ({ ...row, name: `signup: ${row.name}` }) as Row);
}

function elsewhereRows(): Row[] {
  return [
    {
      name: "unknown realm login",
      method: "POST",
      path: "/api/nope/auth/login",
      body: { email, password },
      status: 404,
      code: "unknown_realm",
      secrets: [password],
    },
    {
      name: "unknown realm session",
      method: "GET",
      path: "/api/nope/auth/session",
      headers: cookie(`__Host-nope_session=${liveToken}`),
      status: 404,
      code: "unknown_realm",
      secrets: [liveToken],
    },
    { name: "unknown realm logout", method: "POST", path: "/api/nope/auth/logout", status: 404, code: "unknown_realm" },
    {
      name: "realm name in the wrong case",
      method: "POST",
      path: "/api/USER/auth/login",
      body: { email, password },
      status: 404,
      code: "unknown_realm",
      secrets: [password],
    },
    { name: "unknown route", method: "GET", path: "/api/nothing-here", status: 404, code: "not_found" },
    {
      name: "unknown route with ?token=",
      method: "GET",
      path: `/api/nothing-here?token=${liveToken}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "token as a bare query key",
      method: "GET",
      path: `/api/user/auth/session?${liveToken}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "token as a query key with a value",
      method: "GET",
      path: `/api/user/auth/session?${liveToken}=1`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "token percent-encoded in the query",
      method: "GET",
      path: `/api/user/auth/session?x=${liveToken.replace(".", "%2E")}`,
      status: 400,
      code: "token_in_url",
      secrets: [liveToken],
    },
    {
      name: "vendor JSON content type",
      method: "POST",
      path: login("user"),
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({ email, password }),
      status: 415,
      code: "unsupported_media_type",
      secrets: [password],
    },
    {
      name: "deeply nested JSON",
      method: "POST",
      path: login("user"),
      headers: json,
      body: `{"email":${"[".repeat(20000)}${"]".repeat(20000)},"password":"x"}`,
      status: 400,
      code: "validation_failed",
    },
    {
      name: "invalid Content-Length",
      raw: `POST /api/user/auth/login HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}`,
      method: "POST",
      path: login("user"),
      status: 400,
      code: "bad_request",
    },
    {
      name: "Content-Length and chunked together",
      raw: `POST /api/user/auth/login HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      method: "POST",
      path: login("user"),
      status: 400,
      code: "bad_request",
    },
  ];
}

/** Bad requests that carry a live session: they must not end it, extend it into a new one, or answer with it. */
function signedInRows(): Row[] {
  const user = cookie(`__Host-user_session=${liveToken}`);
  const admin = cookie(`__Host-admin_session=${liveAdminToken}`);
  const secrets = [liveToken, liveAdminToken];
  return [
    {
      name: "user logout without CSRF token",
      method: "POST",
      path: "/api/user/auth/logout",
      headers: user,
      status: 403,
      code: "csrf_token_invalid",
      secrets,
    },
    {
      name: "user logout with a wrong CSRF token",
      method: "POST",
      path: "/api/user/auth/logout",
      headers: { ...user, "x-csrf-token": "nope" },
      status: 403,
      code: "csrf_token_invalid",
      secrets,
    },
    {
      name: "user logout with the admin's CSRF token",
      method: "POST",
      path: "/api/user/auth/logout",
      headers: { ...user, "x-csrf-token": csrf.admin ?? "" },
      status: 403,
      code: "csrf_token_invalid",
      secrets,
    },
    {
      name: "admin logout with the user's CSRF token",
      method: "POST",
      path: "/api/admin/auth/logout",
      headers: { ...admin, "x-csrf-token": csrf.user ?? "" },
      status: 403,
      code: "csrf_token_invalid",
      secrets,
    },
    {
      name: "admin logout with a 4 KB CSRF token",
      method: "POST",
      path: "/api/admin/auth/logout",
      headers: { ...admin, "x-csrf-token": "c".repeat(4096) },
      status: 403,
      code: "csrf_token_invalid",
      secrets,
    },
    {
      name: "signed-in session with an unknown query parameter",
      method: "GET",
      path: "/api/user/auth/session?foo=bar",
      headers: user,
      status: 400,
      code: "validation_failed",
      secrets,
    },
    {
      name: "signed-in session with ?passive=maybe",
      method: "GET",
      path: "/api/admin/auth/session?passive=maybe",
      headers: admin,
      status: 400,
      code: "validation_failed",
      secrets,
    },
    {
      name: "signed-in session with its own token in the URL too",
      method: "GET",
      path: `/api/user/auth/session?token=${liveToken}`,
      headers: user,
      status: 400,
      code: "token_in_url",
      secrets,
    },
    {
      name: "signed-in wrong-password login keeps the old session",
      method: "POST",
      path: login("user"),
      headers: user,
      body: { email, password: "wrong password 123456" },
      status: 401,
      code: "invalid_credentials",
      secrets: [...secrets, "wrong password 123456"],
    },
    {
      name: "the user's token in the admin cookie",
      method: "GET",
      path: "/api/admin/auth/session",
      headers: cookie(`__Host-admin_session=${liveToken}`),
      status: 401,
      code: "not_authenticated",
      secrets,
    },
  ].map((row) => ({ ...row, name: `signed in: ${row.name}` }) as Row);
}

const rows = (): Row[] => [
  ...rowsFor("user"),
  ...rowsFor("admin"),
  ...signupRows(),
  ...elsewhereRows(),
  ...signedInRows(),
];
const submitted: string[] = [];

describe("bad input is refused with a stable 4xx and changes nothing", () => {
  // Rows need liveToken, known only after beforeAll; build them lazily, one test that reports every row.
  it("every row", async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      const before = await counts();
      const logsBefore = server.logs.length;
      const reply = await send(row);
      const after = await counts();
      const problems: string[] = [];
      if (reply.status !== row.status) problems.push(`status ${reply.status}, expected ${row.status}`);
      if (row.code !== null) {
        let parsed: { error?: { code?: unknown; message?: unknown } } | undefined;
        try {
          parsed = JSON.parse(reply.text);
        } catch {
          problems.push(`body is not JSON: ${reply.text.slice(0, 120)}`);
        }
        if (parsed && parsed.error?.code !== row.code) problems.push(`code ${String(parsed.error?.code)}`);
        if (parsed && typeof parsed.error?.message !== "string") problems.push("no error.message");
        if (parsed && Object.keys(parsed).join() !== "error")
          problems.push(`extra top-level keys ${Object.keys(parsed)}`);
      } else if (reply.text !== "") problems.push(`unexpected body ${reply.text.slice(0, 120)}`);
      const setCookies = [reply.headers["set-cookie"] ?? []].flat();
      // Clearing a cookie is fine; handing out a value is not.
      if (setCookies.some((c) => !/^[^=]+=;/.test(c))) problems.push(`sets a cookie: ${setCookies}`);
      if (/\n\s+at |"stack"/.test(reply.text)) problems.push("stack trace in the body");
      for (const secret of row.secrets ?? []) if (reply.text.includes(secret)) problems.push("secret in the body");
      if (after.principals !== before.principals || after.sessions !== before.sessions) {
        problems.push(`wrote: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      const newLogs = server.logs.slice(logsBefore).join("");
      if (/\\n\s+at |"stack"/.test(newLogs)) problems.push("stack trace in the logs");
      for (const secret of row.secrets ?? []) if (newLogs.includes(secret)) problems.push("secret in the logs");
      submitted.push(...(row.secrets ?? []));
      if (problems.length)
        failures.push(`${row.method} ${row.path.slice(0, 60)} [${row.name}]: ${problems.join("; ")}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it("no submitted password or token appears anywhere in the whole log", () => {
    expect(submitted.length).toBeGreaterThan(40);
    const all = server.logs.join("");
    expect(submitted.filter((secret) => all.includes(secret))).toEqual([]);
    expect(all).not.toMatch(/"level":50|"stack"/);
  });

  it("a wrong method names the allowed ones", async () => {
    const reply = await send({ name: "GET login", method: "GET", path: login("admin"), status: 405, code: null });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST");
    const session = await send({
      name: "PUT session",
      method: "PUT",
      path: "/api/user/auth/session",
      status: 405,
      code: null,
    });
    expect(session.headers.allow).toBe("GET, HEAD");
  });

  it("the live tokens still work from their cookies: no refusal above ended them, and none was an outage", async () => {
    for (const [realm, token] of [
      ["user", liveToken],
      ["admin", liveAdminToken],
    ]) {
      const response = await fetch(`${server.baseUrl}/api/${realm}/auth/session`, {
        headers: { cookie: `__Host-${realm}_session=${token}` },
      });
      expect(response.status).toBe(200);
    }
  });
});
