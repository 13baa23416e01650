/**
 * One autocannon run, in its own process (the harness pins it to the load CPU). The spec comes in
 * BENCH_LOAD_SPEC (JSON, bench/lib/load-spec.ts); the result goes back over the IPC channel. The
 * message "stop" ends the run early (the cleanup scenario stops when the cleanup is done).
 */
import { readFileSync } from "node:fs";
import autocannon, { type RequestParams } from "autocannon";
import type { LoadResult, LoadSpec } from "./lib/load-spec.ts";
import { benchToken } from "./lib/tokens.ts";

const spec = JSON.parse(process.env.BENCH_LOAD_SPEC ?? "null") as LoadSpec | null;
if (!spec || !process.send) {
  process.stderr.write("load-worker: run by bench/run.ts (needs BENCH_LOAD_SPEC and an IPC channel)\n");
  process.exit(2);
}

/** A stride coprime with any count that is a product of 2s and 5s: walks the bulk table in scattered order. */
const stride = 7919;

function cookieSource(session: NonNullable<LoadSpec["session"]>): () => string {
  const listed =
    session.tokens ?? (session.tokensFile ? (JSON.parse(readFileSync(session.tokensFile, "utf8")) as string[]) : null);
  if (listed) {
    if (listed.length === 0) throw new Error("no session tokens");
    let next = 0;
    return () => {
      const token = listed[next] as string;
      next = (next + 1) % listed.length;
      return `${session.cookieName}=${token}`;
    };
  }
  const generated = session.generated;
  if (!generated) throw new Error("session: tokens, tokensFile or generated");
  let k = Math.floor(Math.random() * generated.count);
  return () => {
    k += 1;
    return `${session.cookieName}=${benchToken(generated.from + ((k * stride) % generated.count))}`;
  };
}

function requestsFor(spec: LoadSpec): RequestParams[] {
  const method = spec.method ?? "GET";
  const cookie = spec.session ? cookieSource(spec.session) : null;
  const login = spec.login;
  let n = 0;
  return [
    {
      method,
      path: spec.path,
      setupRequest: (request) => {
        n += 1;
        const headers: Record<string, string> = { ...request.headers };
        if (cookie) headers.cookie = cookie();
        if (!login) return { ...request, headers };
        const email = login.emails[n % login.emails.length] as string;
        // Many clients behind the trusted proxy: the per-IP throttle sees each address a few times only.
        headers["x-forwarded-for"] = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
        headers["content-type"] = "application/json";
        return { ...request, headers, body: JSON.stringify({ email, password: login.password }) };
      },
    },
  ];
}

const instance = autocannon(
  {
    url: `${spec.origin}${spec.path}`,
    connections: spec.connections,
    duration: spec.durationSeconds,
    timeout: 30,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    requests: requestsFor(spec),
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`load-worker: ${error.stack ?? error.message}\n`);
      process.exit(1);
    }
    const requests = result.requests.total;
    const summary: LoadResult = {
      requests,
      durationSeconds: result.duration,
      rps: requests / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
    };
    process.send?.({ type: "result", result: summary }, () => process.exit(0));
  },
);

process.on("message", (message) => {
  if (message === "stop") instance.stop();
});
// The harness going away ends the run too.
process.on("disconnect", () => instance.stop());
