import { createPublicClient } from "@gatehouse/client";
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  PasswordInput,
  SegmentedControl,
  Stack,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, Navigate } from "react-router";
import { type Authenticated, realmPath, unwrap } from "../../realm/kit.ts";
import { type SignOutReason, signOutMessages, useRealm } from "../../realm/realm-context.ts";
import { AuthCard } from "./AuthCard.tsx";

const publicApi = createPublicClient();

/** /login and /admin/login: password, or (where the realm offers it) an emailed one-time code. */
export function LoginPage() {
  const { kit, status, signIn } = useRealm();
  // Read on mount, removed only once this page shows as the login page. A sign-out sets the reason
  // and navigates here before the session query has told every observer: this page may mount once
  // while the realm still looks signed in, bounce home, and come back; the reason must survive that.
  const [reason] = useState(() => kit.storage.get("signedOutReason") as SignOutReason | null);
  useEffect(() => {
    if (status === "signedOut") kit.storage.remove("signedOutReason");
  }, [status, kit]);
  const [method, setMethod] = useState<"password" | "code">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [rememberMe, setRememberMe] = useState(false);
  const [codeSent, setCodeSent] = useState(false);

  const otp = useQuery({
    queryKey: ["public", "otp-settings"],
    queryFn: async () => unwrap(await publicApi.GET("/api/public/otp-settings")),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const codeOffered = Boolean(otp.data?.enabled && otp.data.realms.includes(kit.realm));

  const login = useMutation({
    mutationFn: async (): Promise<Authenticated> =>
      method === "password"
        ? unwrap(
            await kit.api.POST(realmPath(kit.realm, "/auth/login"), {
              body: { email, password, ...(kit.realm === "user" ? { rememberMe } : {}) },
            }),
          )
        : unwrap(await kit.api.POST("/api/user/auth/otp/verify", { body: { email, code, rememberMe } })),
    onSuccess: signIn,
  });
  const requestCode = useMutation({
    mutationFn: async () => unwrap(await kit.api.POST("/api/user/auth/otp/request", { body: { email } })),
    onSuccess: () => setCodeSent(true),
  });

  if (status === "signedIn") return <Navigate to={kit.homePath} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (method === "code" && !codeSent) requestCode.mutate();
    else login.mutate();
  };
  const failure = login.error ?? requestCode.error;

  return (
    <AuthCard
      title={kit.realm === "admin" ? "Admin sign in" : "Sign in"}
      subtitle={kit.realm === "admin" ? "The Gatehouse admin console" : "Your Gatehouse dashboard"}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {reason && (
            <Alert color={reason === "logout" ? "blue" : "yellow"} role="status" data-testid="signed-out-reason">
              {signOutMessages[reason]}
            </Alert>
          )}
          {codeOffered && (
            <SegmentedControl
              value={method}
              onChange={(value) => setMethod(value as "password" | "code")}
              data={[
                { value: "password", label: "Password" },
                { value: "code", label: "Email code" },
              ]}
              aria-label="Sign-in method"
            />
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          {method === "password" ? (
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
          ) : (
            codeSent && (
              <TextInput
                label="Code from your email"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            )
          )}
          {kit.realm === "user" && (
            <Checkbox
              label="Keep me signed in for 30 days"
              checked={rememberMe}
              onChange={(e) => setRememberMe(e.currentTarget.checked)}
            />
          )}
          {failure && (
            <Alert color="red" role="alert">
              {failure.message}
            </Alert>
          )}
          <Button type="submit" loading={login.isPending || requestCode.isPending}>
            {method === "code" && !codeSent ? "Email me a code" : "Sign in"}
          </Button>
          <Group justify="space-between">
            <Anchor component={Link} to={`/reset-password?realm=${kit.realm}`} size="sm">
              Forgot your password?
            </Anchor>
            {kit.realm === "user" && (
              <Anchor component={Link} to="/signup" size="sm">
                Create an account
              </Anchor>
            )}
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
