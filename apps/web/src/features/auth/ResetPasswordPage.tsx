import { createCsrfFetch, createGatehouseClient } from "@gatehouse/client";
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type Realm, realmPath, unwrap } from "../../realm/kit.ts";
import { AuthCard } from "./AuthCard.tsx";

/**
 * /reset-password?realm=…: ask for a link; with `&token=…` (the emailed link, see app/passwords.ts),
 * choose a new password. Every session of that account in that realm ends; the other realm is untouched.
 */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const realm: Realm = params.get("realm") === "admin" ? "admin" : "user";
  const token = params.get("token");
  // No session is involved: a plain client for the realm named in the link.
  const api = useMemo(() => createGatehouseClient({ fetch: createCsrfFetch({ realm }) }), [realm]);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const request = useMutation({
    mutationFn: async () => unwrap(await api.POST(realmPath(realm, "/auth/password-reset"), { body: { email } })),
  });
  const confirm = useMutation({
    mutationFn: async () => {
      if (password !== confirmation) throw new Error("The two passwords differ.");
      return unwrap(
        await api.POST(realmPath(realm, "/auth/password-reset/confirm"), {
          body: { token: token ?? "", newPassword: password },
        }),
      );
    },
  });
  const loginPath = realm === "admin" ? "/admin/login" : "/login";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token) confirm.mutate();
    else request.mutate();
  };

  if (confirm.isSuccess) {
    return (
      <AuthCard title="Password changed">
        <Stack>
          <Alert color="green" role="status">
            Your password was changed and every session of this account was signed out.
          </Alert>
          <Button component={Link} to={loginPath}>
            Sign in
          </Button>
        </Stack>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={token ? "Choose a new password" : "Reset your password"}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {token ? (
            <>
              <PasswordInput
                label="New password"
                autoComplete="new-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <PasswordInput
                label="Repeat the new password"
                autoComplete="new-password"
                required
                value={confirmation}
                onChange={(e) => setConfirmation(e.currentTarget.value)}
              />
            </>
          ) : (
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
          )}
          {request.isSuccess && (
            <Alert color="green" role="status">
              If an account exists for that address, we sent it a link. It works once and soon expires.
            </Alert>
          )}
          {(request.error ?? confirm.error) && (
            <Alert color="red" role="alert">
              {(request.error ?? confirm.error)?.message}
            </Alert>
          )}
          <Button type="submit" loading={request.isPending || confirm.isPending}>
            {token ? "Change password" : "Email me a link"}
          </Button>
          <Anchor component={Link} to={loginPath} size="sm">
            Back to sign in
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
