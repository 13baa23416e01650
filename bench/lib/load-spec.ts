/** What one autocannon run does (bench/load-worker.ts runs it, pinned to the load CPU). */
export interface LoadSpec {
  /** e.g. http://127.0.0.1:4100 */
  origin: string;
  path: string;
  method?: "GET" | "POST";
  connections: number;
  durationSeconds: number;
  /** Caps the total request rate (a latency probe rather than a saturating load). */
  overallRate?: number;
  /** The cookie every request carries: one token, a file of tokens, or the bulk-table tokens `from..from+count-1`. */
  session?: {
    cookieName: string;
    tokens?: string[];
    tokensFile?: string;
    generated?: { from: number; count: number };
  };
  /** POST login bodies: round-robin over `emails` with one password, each from another X-Forwarded-For. */
  login?: { emails: string[]; password: string };
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}
