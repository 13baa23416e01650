import { createGatehouseNodeClient } from "@gatehouse/node/client";

/**
 * A program on the typed client alone (no hand-written types: every shape comes from the types
 * generated from /api/openapi.json): sign in, read the session, list the sessions, sign the other
 * devices out (an unsafe request: the client sends the CSRF token), sign out.
 */
export async function tour(baseUrl: string, email: string, password: string) {
  const { api } = createGatehouseNodeClient({ baseUrl });

  const signIn = await api.POST("/api/user/auth/login", { body: { email, password } });
  if (!signIn.data) throw new Error(`sign-in failed: ${signIn.error?.error.code}`);

  const current = await api.GET("/api/user/auth/session", { params: { query: { passive: "true" } } });
  if (!current.data) throw new Error(`no session: ${current.error?.error.code}`);

  const listed = await api.GET("/api/user/sessions");
  if (!listed.data) throw new Error(`no list: ${listed.error?.error.code}`);

  const others = await api.POST("/api/user/sessions/revoke-others");
  if (!others.data) throw new Error(`revoke-others failed: ${others.error?.error.code}`);

  const signOut = await api.POST("/api/user/auth/logout");
  const after = await api.GET("/api/user/auth/session");

  return {
    principal: signIn.data.principal,
    session: current.data.session,
    sessions: listed.data.sessions,
    revokedOthers: others.data.revokedSessions,
    signOutStatus: signOut.response.status,
    afterSignOut: after.error?.error.code,
  };
}
