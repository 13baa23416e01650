import { Alert, Badge, Button, Card, Group, PasswordInput, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { EmptyState, ErrorState, LoadingState, relativeTime } from "../../components/states.tsx";
import { unwrap } from "../../realm/kit.ts";
import { sessionKey, useRealm } from "../../realm/realm-context.ts";

/** `/security`: active sessions (this device, revoke one, sign out the others) and the password change. */
export function SecurityPage() {
  return (
    <Stack>
      <Title order={2}>Security</Title>
      <SessionsCard />
      <PasswordCard />
    </Stack>
  );
}

function SessionsCard() {
  const { kit } = useRealm();
  const queryClient = useQueryClient();
  const key = ["user", "sessions"];
  const sessions = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await kit.api.GET("/api/user/sessions")).sessions,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await kit.api.DELETE("/api/user/sessions/{id}", { params: { path: { id } } })),
    onSettled: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: async () => unwrap(await kit.api.POST("/api/user/sessions/revoke-others")),
    onSettled: refresh,
  });
  const others = (sessions.data ?? []).filter((s) => !s.current).length;

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Where you are signed in
        </Title>
        <Button
          size="xs"
          variant="light"
          color="red"
          disabled={others === 0}
          loading={revokeOthers.isPending}
          onClick={() => revokeOthers.mutate()}
        >
          Sign out other devices
        </Button>
      </Group>
      {revokeOthers.isSuccess && (
        <Alert color="green" mb="sm" role="status">
          Signed out {revokeOthers.data.revokedSessions} other session(s).
        </Alert>
      )}
      {(revoke.error ?? revokeOthers.error) && (
        <Alert color="red" mb="sm" role="alert">
          {(revoke.error ?? revokeOthers.error)?.message}
        </Alert>
      )}
      {sessions.isPending ? (
        <LoadingState label="Loading your sessions" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <EmptyState>No active sessions.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" aria-label="Active sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((s) => (
                <Table.Tr key={s.id} data-testid="session-row">
                  <Table.Td>
                    <Group gap="xs">
                      <Text size="sm">
                        {s.browser ?? "Unknown browser"} on {s.os ?? "unknown system"}
                      </Text>
                      {s.current && (
                        <Badge size="sm" color="green">
                          This device
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{s.ip ?? "—"}</Table.Td>
                  <Table.Td title={s.lastActiveAt}>{relativeTime(s.lastActiveAt)}</Table.Td>
                  <Table.Td ta="right">
                    {!s.current && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={revoke.isPending && revoke.variables === s.id}
                        onClick={() => revoke.mutate(s.id)}
                        aria-label={`Revoke the session on ${s.browser ?? "unknown browser"} from ${s.ip ?? "unknown IP"}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function PasswordCard() {
  const { kit } = useRealm();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const change = useMutation({
    mutationFn: async () => {
      if (next !== repeat) throw new Error("The two new passwords differ.");
      return unwrap(
        await kit.api.POST("/api/user/auth/password", { body: { currentPassword: current, newPassword: next } }),
      );
    },
    onSuccess: (authenticated) => {
      // The session was rotated: the answer carries the new session and CSRF token.
      queryClient.setQueryData(sessionKey("user"), authenticated);
      void queryClient.invalidateQueries({ queryKey: ["user", "sessions"] });
      setCurrent("");
      setNext("");
      setRepeat("");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        Change password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label="New password"
            description="At least 12 characters."
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
          />
          {change.isSuccess && (
            <Alert color="green" role="status">
              Password changed. Your other devices were signed out.
            </Alert>
          )}
          {change.error && (
            <Alert color="red" role="alert">
              {change.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
