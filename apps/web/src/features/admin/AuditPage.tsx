import { Badge, Button, Card, Code, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { dateTime, EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { unwrap } from "../../realm/kit.ts";
import { useRealm } from "../../realm/realm-context.ts";

interface Filters {
  realm: "" | "user" | "admin";
  type: string;
  principalId: string;
  from: string;
  to: string;
}
const empty: Filters = { realm: "", type: "", principalId: "", from: "", to: "" };

/** The filters as API query parameters (datetime-local inputs are local time; the API wants ISO). */
function toQuery(filters: Filters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.realm) query.realm = filters.realm;
  if (filters.type.trim()) query.type = filters.type.trim();
  if (filters.principalId.trim()) query.principalId = filters.principalId.trim();
  if (filters.from) query.from = new Date(filters.from).toISOString();
  if (filters.to) query.to = new Date(filters.to).toISOString();
  return query;
}

/** `/admin/audit`: the security events, filtered, newest first, with CSV export of the same filters. */
export function AuditPage() {
  const { kit } = useRealm();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const query = toQuery(filters);
  const events = useInfiniteQuery({
    queryKey: ["admin", "audit", query],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await kit.api.GET("/api/admin/audit", {
          params: { query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const csvHref = `/api/admin/audit.csv?${new URLSearchParams(query).toString()}`;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Audit log</Title>
        <Button component="a" href={csvHref} download variant="light" data-testid="export-csv">
          Export CSV
        </Button>
      </Group>
      <Card withBorder>
        <form onSubmit={submit} aria-label="Audit filters">
          <Group align="end" mb="md" gap="sm">
            <Select
              label="Realm"
              value={draft.realm}
              onChange={(value) => setDraft({ ...draft, realm: (value ?? "") as Filters["realm"] })}
              data={[
                { value: "", label: "All realms" },
                { value: "user", label: "user" },
                { value: "admin", label: "admin" },
              ]}
              allowDeselect={false}
              w={140}
            />
            <TextInput
              label="Event types"
              placeholder="login_failed,logout"
              value={draft.type}
              onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}
              w={220}
            />
            <TextInput
              label="Principal id"
              value={draft.principalId}
              onChange={(e) => setDraft({ ...draft, principalId: e.currentTarget.value })}
              w={200}
            />
            <TextInput
              label="From"
              type="datetime-local"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
            />
            <TextInput
              label="To"
              type="datetime-local"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
            />
            <Button type="submit">Apply</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(empty);
                setFilters(empty);
              }}
            >
              Clear
            </Button>
          </Group>
        </form>
        {events.isPending ? (
          <LoadingState label="Loading events" />
        ) : events.isError ? (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>No events match these filters.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={820}>
              <Table verticalSpacing="xs" striped aria-label="Audit events">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Event</Table.Th>
                    <Table.Th>Realm</Table.Th>
                    <Table.Th>Actor</Table.Th>
                    <Table.Th>IP</Table.Th>
                    <Table.Th>Details</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((e) => (
                    <Table.Tr key={e.id} data-testid="audit-row">
                      <Table.Td>
                        <Text size="xs">{dateTime(e.occurredAt)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={/failed|refused|throttled|denied/.test(e.type) ? "red" : "gray"}>
                          {e.type}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{e.realm ?? "—"}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{e.actor ?? "—"}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{e.ip ?? "—"}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Code>{JSON.stringify(e.details)}</Code>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {events.hasNextPage && (
              <Group justify="center" mt="md">
                <Button
                  variant="default"
                  loading={events.isFetchingNextPage}
                  onClick={() => void events.fetchNextPage()}
                >
                  Load more
                </Button>
              </Group>
            )}
          </>
        )}
      </Card>
    </Stack>
  );
}
