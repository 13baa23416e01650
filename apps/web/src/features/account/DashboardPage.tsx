import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { dateTime } from "../../components/states.tsx";
import { useRealm } from "../../realm/realm-context.ts";

/** `/`: the signed-in user's profile and session. */
export function DashboardPage() {
  const { session } = useRealm();
  if (!session) return null;
  const { principal, session: current } = session;
  return (
    <Stack>
      <Title order={2}>Welcome{principal.displayName ? `, ${principal.displayName}` : ""}</Title>
      <div className="gh-grid">
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            Profile
          </Title>
          <Stack gap={6}>
            <Field label="Email" value={principal.email} />
            <Field label="Name" value={principal.displayName ?? "—"} />
            <Field label="Member since" value={dateTime(principal.createdAt)} />
          </Stack>
        </Card>
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h4">
              This session
            </Title>
            <Badge variant="light">{current.rememberMe ? "Remembered" : "Browser session"}</Badge>
          </Group>
          <Stack gap={6}>
            <Field label="Signed in" value={dateTime(current.createdAt)} />
            <Field label="Ends at the latest" value={dateTime(current.expiresAt)} />
            <Field label="Ends when idle after" value={dateTime(current.idleExpiresAt)} />
          </Stack>
          <Anchor component={Link} to="/security" mt="md" size="sm">
            Manage your sessions and password
          </Anchor>
        </Card>
      </div>
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ta="right">
        {value}
      </Text>
    </Group>
  );
}
