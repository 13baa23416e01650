import pg from "pg";
import { sqlSecretHash, sqlTokenId } from "./tokens.ts";

/** The server the harness creates its databases on (trust auth, loopback). */
export const postgresServerUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string, options?: string): string {
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  if (options) url.searchParams.set("options", options);
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<void> {
  await withClient(postgresServerUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withClient(postgresServerUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

export async function postgresVersion(): Promise<string> {
  return withClient(postgresServerUrl, async (c) => {
    const { rows } = await c.query<{ server_version: string }>("show server_version");
    return rows[0]?.server_version ?? "?";
  });
}

const userAgents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/**
 * Bulk-inserts sessions `from..from+count-1` in SQL (`generate_series`), in chunks, with the tokens of
 * bench/lib/tokens.ts, spread over `principalIds`, with realistic addresses, user agents and times:
 * - `live`: created within the last 12 h, 24 h lifetime (a tenth remember-me, 30 days), idle deadline 7 days on;
 * - `expired`: half past the absolute deadline (created 2–3 days ago), half past the idle deadline only.
 * Returns the elapsed milliseconds. `onChunk` reports progress.
 */
export async function insertBulkSessions(
  url: string,
  options: {
    from: number;
    count: number;
    principalIds: string[];
    kind: "live" | "expired";
    onChunk?: (done: number) => void;
  },
): Promise<number> {
  const started = performance.now();
  const chunk = 100_000;
  const times =
    options.kind === "live"
      ? `now() - (i % 43200) * interval '1 second' as created,
         case when i % 10 = 0 then interval '30 days' else interval '24 hours' end as lifetime,
         interval '7 days' + interval '1 minute' as idle,
         i % 10 = 0 as remember`
      : `now() - interval '2 days' - (i % 86400) * interval '1 second' as created,
         case when i % 2 = 0 then interval '24 hours' else interval '30 days' end as lifetime,
         case when i % 2 = 0 then interval '7 days' else interval '15 minutes' end as idle,
         i % 2 = 1 as remember`;
  await withClient(url, async (c) => {
    await c.query("set synchronous_commit = off");
    for (let start = options.from; start < options.from + options.count; start += chunk) {
      const end = Math.min(start + chunk, options.from + options.count) - 1;
      await c.query(
        `insert into sessions (id, realm, principal_id, secret_hash, created_at, last_activity_at,
                               idle_expires_at, expires_at, remember_me, ip, user_agent)
         select ${sqlTokenId}, 'user', ($3::uuid[])[1 + (i % $4)], ${sqlSecretHash},
                t.created, t.created, t.created + t.idle, t.created + t.lifetime, t.remember,
                '10.' || ((i >> 16) & 255) || '.' || ((i >> 8) & 255) || '.' || (i & 255),
                ($5::text[])[1 + (i % 3)]
         from generate_series($1::int8, $2::int8) as i,
              lateral (select ${times}) as t`,
        [start, end, options.principalIds, options.principalIds.length, userAgents],
      );
      options.onChunk?.(end - options.from + 1);
    }
    await c.query("analyze sessions");
  });
  return performance.now() - started;
}

export async function countSessions(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>("select count(*) as n from sessions");
    return Number(rows[0]?.n ?? 0);
  });
}
