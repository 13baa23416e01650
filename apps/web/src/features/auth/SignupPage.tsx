import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate } from "react-router";
import { unwrap } from "../../realm/kit.ts";
import { useRealm } from "../../realm/realm-context.ts";
import { AuthCard } from "./AuthCard.tsx";

/** /signup: a user account, signed in at once. */
export function SignupPage() {
  const { kit, status, signIn } = useRealm();
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const signup = useMutation({
    mutationFn: async () =>
      unwrap(
        await kit.api.POST("/api/user/auth/signup", {
          body: { email, password, ...(displayName ? { displayName } : {}) },
        }),
      ),
    onSuccess: signIn,
  });
  if (status === "signedIn") return <Navigate to="/" replace />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signup.mutate();
  };
  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <TextInput
            label="Name (optional)"
            autoComplete="name"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description="At least 12 characters; common passwords are refused."
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {signup.error && (
            <Alert color="red" role="alert">
              {signup.error.message}
            </Alert>
          )}
          <Button type="submit" loading={signup.isPending}>
            Create account
          </Button>
          <Text size="sm">
            Already have one?{" "}
            <Anchor component={Link} to="/login">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
