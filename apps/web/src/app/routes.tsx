import { createBrowserRouter, Navigate } from "react-router";
import { DashboardPage } from "../features/account/DashboardPage.tsx";
import { SecurityPage } from "../features/account/SecurityPage.tsx";
import { AuditPage } from "../features/admin/AuditPage.tsx";
import { OverviewPage } from "../features/admin/OverviewPage.tsx";
import { PrincipalsPage } from "../features/admin/PrincipalsPage.tsx";
import { SessionsPage } from "../features/admin/SessionsPage.tsx";
import { LoginPage } from "../features/auth/LoginPage.tsx";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage.tsx";
import { SignupPage } from "../features/auth/SignupPage.tsx";
import { RealmRoot } from "../realm/RealmRoot.tsx";
import { RequireSession } from "../realm/RequireSession.tsx";

/** The user dashboard under `/`, the admin console under `/admin`: each subtree is one realm. */
export const router = createBrowserRouter([
  {
    path: "/admin",
    element: <RealmRoot realm="admin" />,
    children: [
      { path: "login", element: <LoginPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <OverviewPage /> },
          { path: "principals", element: <PrincipalsPage /> },
          { path: "sessions", element: <SessionsPage /> },
          { path: "audit", element: <AuditPage /> },
        ],
      },
      { path: "*", element: <Navigate to="/admin" replace /> },
    ],
  },
  {
    path: "/",
    element: <RealmRoot realm="user" />,
    children: [
      { path: "login", element: <LoginPage /> },
      { path: "signup", element: <SignupPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: "security", element: <SecurityPage /> },
        ],
      },
      { path: "*", element: <Navigate to="/" replace /> },
    ],
  },
]);
