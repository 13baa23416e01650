import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { Outlet, useNavigate } from "react-router";
import { type Authenticated, type Realm, realmKit } from "./kit.ts";
import {
  RealmContext,
  type RealmContextValue,
  type SignOutReason,
  sessionKey,
  useSessionQuery,
} from "./realm-context.ts";

/**
 * The root of one realm's pages: loads its session with the passive call, follows the other tabs of the
 * same realm (login, logout, idle, activity) and offers sign-in, sign-out and heartbeat. Signing out
 * removes only this realm's queries and keys; the other realm's tab and state are never touched.
 */
export function RealmRoot({ realm }: { realm: Realm }) {
  const kit = realmKit(realm);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useSessionQuery(kit);
  const heartbeatInFlight = useRef<Promise<void> | null>(null);

  const endLocally = useCallback(
    (reason: SignOutReason) => {
      // The reason first: the login page reads it when it mounts.
      kit.storage.set("signedOutReason", reason);
      kit.fetch.setToken(undefined);
      queryClient.removeQueries({ queryKey: [realm], predicate: (q) => q.queryKey[1] !== "session" });
      queryClient.setQueryData(sessionKey(realm), null);
      navigate(kit.loginPath, { replace: true });
    },
    [kit, queryClient, navigate, realm],
  );

  const value = useMemo<RealmContextValue>(
    () => ({
      kit,
      session: session.data ?? null,
      status: session.isPending ? "loading" : session.isError ? "error" : session.data ? "signedIn" : "signedOut",
      error: session.error,
      retry: () => void session.refetch(),
      signIn: (authenticated: Authenticated) => {
        queryClient.setQueryData(sessionKey(realm), authenticated);
        kit.storage.remove("signedOutReason");
        kit.channel.post("login", { idleExpiresAt: authenticated.session.idleExpiresAt });
        const back = kit.storage.get("returnTo");
        kit.storage.remove("returnTo");
        navigate(back ?? kit.homePath, { replace: true });
      },
      signOut: async (reason) => {
        // The server ends the session first; this tab and the realm's other tabs follow.
        await kit.api.POST(`/api/${realm}/auth/logout` as "/api/user/auth/logout").catch(() => undefined);
        kit.channel.post(reason === "idle" ? "idle" : "logout");
        endLocally(reason);
      },
      heartbeat: () => {
        heartbeatInFlight.current ??= (async () => {
          try {
            const { data, response } = await kit.api.GET(`/api/${realm}/auth/session` as "/api/user/auth/session");
            if (response.ok && data) {
              queryClient.setQueryData(sessionKey(realm), data);
              kit.channel.post("activity", { idleExpiresAt: data.session.idleExpiresAt });
            } else if (response.status === 401) {
              endLocally("expired");
            }
          } finally {
            heartbeatInFlight.current = null;
          }
        })();
        return heartbeatInFlight.current;
      },
      endLocally,
    }),
    [kit, session, queryClient, navigate, realm, endLocally],
  );

  // The realm's other tabs: a sign-out there ends this tab's view at once; a sign-in or activity there is followed.
  useEffect(
    () =>
      kit.channel.subscribe((event) => {
        if (event.type === "logout" || event.type === "idle") {
          endLocally(event.type === "idle" ? "idle" : "elsewhere");
        } else if (event.type === "login") {
          void queryClient.invalidateQueries({ queryKey: sessionKey(realm) });
        } else if (event.type === "activity" && event.idleExpiresAt) {
          const idleExpiresAt = event.idleExpiresAt;
          queryClient.setQueryData<Authenticated | null>(sessionKey(realm), (current) =>
            current && current.session.idleExpiresAt < idleExpiresAt
              ? { ...current, session: { ...current.session, idleExpiresAt } }
              : current,
          );
        }
      }),
    [kit, queryClient, realm, endLocally],
  );

  return (
    <RealmContext.Provider value={value}>
      <Outlet />
    </RealmContext.Provider>
  );
}
