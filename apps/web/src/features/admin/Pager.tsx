import { Group, Pagination, Text } from "@mantine/core";

/** Page controls under a paginated list (`{ count, page, totalPages }`). */
export function Pager({
  page,
  totalPages,
  count,
  onChange,
}: {
  page: number;
  totalPages: number;
  count: number;
  onChange(page: number): void;
}) {
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {count} in total
      </Text>
      {totalPages > 1 && <Pagination value={page} total={totalPages} onChange={onChange} size="sm" />}
    </Group>
  );
}
