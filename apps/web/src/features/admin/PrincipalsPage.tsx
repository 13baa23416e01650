import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { dateTime, EmptyState, ErrorState, LoadingState, relativeTime } from "../../components/states.tsx";
import { unwrap } from "../../realm/kit.ts";
import { useRealm } from "../../realm/realm-context.ts";
import { Pager } from "./Pager.tsx";

type RealmFilter = "user" | "admin" | "";

/** `/admin/principals`: search accounts, disable or enable them, see and revoke their sessions. */
export function PrincipalsPage() {
  const { kit } = useRealm();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 250);
  const [realm, setRealm] = useState<RealmFilter>("");
  const [page, setPage] = useState(1);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const principals = useQuery({
    queryKey: ["admin", "principals", q, realm, page],
    queryFn: async () =>
      unwrap(
        await kit.api.GET("/api/admin/principals", {
          params: { query: { page, pageSize: 20, ...(q ? { q } : {}), ...(realm ? { realm } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["admin"] });
  const toggle = useMutation({
    mutationFn: async ({ id, disable }: { id: string; disable: boolean }) =>
      unwrap(
        disable
          ? await kit.api.POST("/api/admin/principals/{id}/disable", { params: { path: { id } } })
          : await kit.api.POST("/api/admin/principals/{id}/enable", { params: { path: { id } } }),
      ),
    onSettled: refresh,
  });
  const revokeAll = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await kit.api.POST("/api/admin/principals/{id}/sessions/revoke-all", { params: { path: { id } } })),
    onSettled: refresh,
  });

  return (
    <Stack>
      <Title order={2}>Principals</Title>
      <Card withBorder>
        <Group mb="md" align="end">
          <TextInput
            label="Search"
            placeholder="Email or name"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            style={{ flex: 1, minWidth: 180 }}
          />
          <Select
            label="Realm"
            value={realm}
            onChange={(value) => {
              setRealm((value ?? "") as RealmFilter);
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
        {(toggle.error ?? revokeAll.error) && (
          <Alert color="red" mb="sm" role="alert">
            {(toggle.error ?? revokeAll.error)?.message}
          </Alert>
        )}
        {revokeAll.isSuccess && (
          <Alert color="green" mb="sm" role="status">
            Ended {revokeAll.data.revokedSessions} session(s).
          </Alert>
        )}
        {principals.isPending ? (
          <LoadingState label="Loading principals" />
        ) : principals.isError ? (
          <ErrorState error={principals.error} onRetry={() => void principals.refetch()} />
        ) : principals.data.results.length === 0 ? (
          <EmptyState>No principal matches.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" aria-label="Principals">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Realm</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {principals.data.results.map((p) => (
                    <Table.Tr key={p.id} data-testid="principal-row">
                      <Table.Td>
                        <Text size="sm">{p.email}</Text>
                        {p.displayName && (
                          <Text size="xs" c="dimmed">
                            {p.displayName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={p.realm === "admin" ? "grape" : "blue"}>
                          {p.realm}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{dateTime(p.createdAt)}</Table.Td>
                      <Table.Td>
                        {p.disabledAt ? <Badge color="red">Disabled</Badge> : <Badge color="green">Active</Badge>}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="xs" variant="subtle" onClick={() => setInspecting(p.id)}>
                            Sessions
                          </Button>
                          <Button size="xs" variant="subtle" color="orange" onClick={() => revokeAll.mutate(p.id)}>
                            Revoke all
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color={p.disabledAt ? "green" : "red"}
                            onClick={() => toggle.mutate({ id: p.id, disable: !p.disabledAt })}
                            aria-label={`${p.disabledAt ? "Enable" : "Disable"} ${p.email}`}
                          >
                            {p.disabledAt ? "Enable" : "Disable"}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager
              page={page}
              totalPages={principals.data.totalPages}
              count={principals.data.count}
              onChange={setPage}
            />
          </>
        )}
      </Card>
      <PrincipalSessions id={inspecting} onClose={() => setInspecting(null)} />
    </Stack>
  );
}

function PrincipalSessions({ id, onClose }: { id: string | null; onClose(): void }) {
  const { kit } = useRealm();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ["admin", "principal-sessions", id],
    queryFn: async () =>
      unwrap(await kit.api.GET("/api/admin/principals/{id}/sessions", { params: { path: { id: id ?? "" } } })),
    enabled: id !== null,
  });
  const revoke = useMutation({
    mutationFn: async (sessionId: string) =>
      unwrap(
        await kit.api.DELETE("/api/admin/principals/{id}/sessions/{sessionId}", {
          params: { path: { id: id ?? "", sessionId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["admin"] }),
  });
  return (
    <Modal
      lockScroll={false}
      opened={id !== null}
      onClose={onClose}
      title={detail.data ? `Sessions of ${detail.data.principal.email}` : "Sessions"}
      size="lg"
    >
      {detail.isPending ? (
        <LoadingState label="Loading sessions" />
      ) : detail.isError ? (
        <ErrorState error={detail.error} />
      ) : detail.data.sessions.length === 0 ? (
        <EmptyState>No active sessions.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label="Sessions of this principal">
            <Table.Tbody>
              {detail.data.sessions.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {s.browser ?? "Unknown"} on {s.os ?? "unknown"}
                  </Table.Td>
                  <Table.Td>{s.ip ?? "—"}</Table.Td>
                  <Table.Td>{relativeTime(s.lastActiveAt)}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="xs" color="red" variant="subtle" onClick={() => revoke.mutate(s.id)}>
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}
