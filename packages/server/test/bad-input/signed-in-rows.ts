import { cookie, email, live, login, type Row } from "./harness.ts";

/** Bad requests that carry a live session: they must not end it, extend it into a new one, or answer with it. */
export function signedInRows(): Row[] {
  const { token: liveToken, adminToken: liveAdminToken, csrf } = live();
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
