import { Navigate, useLocation } from "react-router";
import { AppLayout } from "../components/AppLayout.tsx";
import { ErrorState, LoadingState } from "../components/states.tsx";
import { IdleWatcher } from "./IdleWatcher.tsx";
import { useRealm } from "./realm-context.ts";

/** Pages that need the realm's session: others go to the realm's login and come back here after it. */
export function RequireSession() {
  const { status, kit, error, retry } = useRealm();
  const location = useLocation();
  if (status === "loading") return <LoadingState label="Checking your session" fullPage />;
  if (status === "error") return <ErrorState error={error} onRetry={retry} fullPage />;
  if (status === "signedOut") {
    kit.storage.set("returnTo", location.pathname + location.search);
    return <Navigate to={kit.loginPath} replace />;
  }
  return (
    <>
      <IdleWatcher />
      <AppLayout />
    </>
  );
}
