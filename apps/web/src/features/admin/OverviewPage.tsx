import { BarChart } from "@mantine/charts";
import { Card, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { unwrap } from "../../realm/kit.ts";
import { useRealm } from "../../realm/realm-context.ts";

type Range = "24h" | "7d" | "30d";

/** `/admin`: live sessions per realm, and sign-ins and failures over time (from the audit log). */
export function OverviewPage() {
  const { kit } = useRealm();
  const [range, setRange] = useState<Range>("7d");
  const overview = useQuery({
    queryKey: ["admin", "overview", range],
    queryFn: async () => unwrap(await kit.api.GET("/api/admin/overview", { params: { query: { range } } })),
    refetchInterval: 60_000,
  });
  const label = (iso: string) =>
    overview.data?.bucket === "hour"
      ? new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })
      : new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short" });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Overview</Title>
        <SegmentedControl
          value={range}
          onChange={(value) => setRange(value as Range)}
          data={[
            { value: "24h", label: "24 hours" },
            { value: "7d", label: "7 days" },
            { value: "30d", label: "30 days" },
          ]}
          aria-label="Time range"
        />
      </Group>
      {overview.isPending ? (
        <LoadingState label="Loading the overview" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <>
          <div className="gh-stats">
            {overview.data.activeSessions.map((row) => (
              <Card withBorder key={row.realm}>
                <Text size="xs" c="dimmed" tt="uppercase">
                  Active {row.realm} sessions
                </Text>
                <Text size="xl" fw={700} data-testid={`active-${row.realm}`}>
                  {row.count}
                </Text>
              </Card>
            ))}
          </div>
          <div className="gh-grid">
            <Card withBorder>
              <Title order={3} size="h5" mb="md">
                Active sessions per realm
              </Title>
              <BarChart
                h={240}
                data={overview.data.activeSessions}
                dataKey="realm"
                series={[{ name: "count", label: "Sessions", color: "blue.6" }]}
                aria-label="Active sessions per realm"
              />
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="md">
                Sign-ins and failures
              </Title>
              <BarChart
                h={240}
                data={overview.data.signIns.map((slot) => ({ ...slot, label: label(slot.bucketStart) }))}
                dataKey="label"
                withLegend
                series={[
                  { name: "signIns", label: "Sign-ins", color: "teal.6" },
                  { name: "failures", label: "Failures", color: "red.6" },
                ]}
                aria-label="Sign-ins and failures over time"
              />
            </Card>
          </div>
        </>
      )}
    </Stack>
  );
}
