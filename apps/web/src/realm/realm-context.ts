import { useQuery } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import type { Authenticated, Realm, RealmKit } from "./kit.ts";

/** Why a realm's page is signed out: shown on its login page. */
export type SignOutReason = "logout" | "idle" | "elsewhere" | "expired";

export const signOutMessages: Record<SignOutReason, string> = {
  logout: "You signed out.",
  idle: "You were signed out after a period of inactivity.",
  elsewhere: "You signed out in another tab.",
  expired: "Your session ended. Sign in again.",
};

export interface RealmContextValue {
  kit: RealmKit;
  session: Authenticated | null;
  status: "loading" | "signedIn" | "signedOut" | "error";
  error: unknown;
  retry(): void;
  signIn(authenticated: Authenticated): void;
  signOut(reason: SignOutReason): Promise<void>;
  /** Real activity: one non-passive session call (it counts as activity and moves idleExpiresAt). */
  heartbeat(): Promise<void>;
  /** Ends this tab's view of the session without calling the server (it already ended there). */
  endLocally(reason: SignOutReason): void;
}

export const RealmContext = createContext<RealmContextValue | null>(null);

export function useRealm(): RealmContextValue {
  const value = useContext(RealmContext);
  if (!value) throw new Error("useRealm outside a RealmRoot");
  return value;
}

export const sessionKey = (realm: Realm) => [realm, "session"] as const;

/**
 * The realm's session from the passive status call (never counts as activity): null when signed out.
 * Checked again every 30 s and when the window regains focus, so a session revoked elsewhere shows.
 */
export function useSessionQuery(kit: RealmKit) {
  return useQuery({
    queryKey: sessionKey(kit.realm),
    queryFn: async (): Promise<Authenticated | null> => {
      const { data, response } = await kit.api.GET(`/api/${kit.realm}/auth/session` as "/api/user/auth/session", {
        params: { query: { passive: "true" } },
      });
      if (response.status === 401) return null;
      if (!response.ok || !data) throw new Error(`The session check failed (${response.status}).`);
      return data;
    },
    staleTime: 30_000,
    refetchInterval: (query) => (query.state.data ? 30_000 : false),
    refetchOnWindowFocus: true,
  });
}
