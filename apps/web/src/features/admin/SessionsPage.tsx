import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState, ErrorState, LoadingState, relativeTime } from "../../components/states.tsx";
import { unwrap } from "../../realm/kit.ts";
import { useRealm } from "../../realm/realm-context.ts";
import { Pager } from "./Pager.tsx";

/** `/admin/sessions`: every live session of every realm, newest first; revoke one. */
export function SessionsPage() {
  const { kit } = useRealm();
  const queryClient = useQueryClient();
  const [realm, setRealm] = useState<"user" | "admin" | "">("");
  const [page, setPage] = useState(1);
  const sessions = useQuery({
    queryKey: ["admin", "active-sessions", realm, page],
    queryFn: async () =>
      unwrap(
        await kit.api.GET("/api/admin/active-sessions", {
          params: { query: { page, pageSize: 20, ...(realm ? { realm } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation({
    mutationFn: async ({ principalId, sessionId }: { principalId: string; sessionId: string }) =>
      unwrap(
        await kit.api.DELETE("/api/admin/principals/{id}/sessions/{sessionId}", {
          params: { path: { id: principalId, sessionId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["admin"] }),
  });
  return (
    <Stack>
      <Title order={2}>Active sessions</Title>
      <Card withBorder>
        <Group mb="md">
          <Select
            label="Realm"
            value={realm}
            onChange={(value) => {
              setRealm((value ?? "") as "user" | "admin" | "");
              setPage(1);
            }}
            data={[
              { value: "", label: "All realms" },
              { value: "user", label: "user" },
              { value: "admin", label: "admin" },
            ]}
            allowDeselect={false}
            w={160}
          />
        </Group>
        {revoke.error && (
          <Alert color="red" mb="sm" role="alert">
            {revoke.error.message}
          </Alert>
        )}
        {sessions.isPending ? (
          <LoadingState label="Loading sessions" />
        ) : sessions.isError ? (
          <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : sessions.data.results.length === 0 ? (
          <EmptyState>No active sessions.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" aria-label="Active sessions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Account</Table.Th>
                    <Table.Th>Realm</Table.Th>
                    <Table.Th>Device</Table.Th>
                    <Table.Th>IP address</Table.Th>
                    <Table.Th>Last active</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sessions.data.results.map((s) => (
                    <Table.Tr key={s.id} data-testid="active-session-row">
                      <Table.Td>
                        <Group gap="xs">
                          <Text size="sm">{s.email}</Text>
                          {s.current && (
                            <Badge size="sm" color="green">
                              You
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={s.realm === "admin" ? "grape" : "blue"}>
                          {s.realm}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {s.browser ?? "Unknown"} on {s.os ?? "unknown"}
                      </Table.Td>
                      <Table.Td>{s.ip ?? "—"}</Table.Td>
                      <Table.Td>{relativeTime(s.lastActiveAt)}</Table.Td>
                      <Table.Td ta="right">
                        {!s.current && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            loading={revoke.isPending && revoke.variables?.sessionId === s.id}
                            onClick={() => revoke.mutate({ principalId: s.principalId, sessionId: s.id })}
                            aria-label={`Revoke the ${s.realm} session of ${s.email}`}
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
            <Pager page={page} totalPages={sessions.data.totalPages} count={sessions.data.count} onChange={setPage} />
          </>
        )}
      </Card>
    </Stack>
  );
}
