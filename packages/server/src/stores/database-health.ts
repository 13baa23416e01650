import { performance } from "node:perf_hooks";

/**
 * Whether the database answered recently, for the validation caches: a cache must not keep a node
 * answering while its database is unreachable (SPEC: fail closed, 503). A ping every `intervalMs`;
 * the caches are used only while the last successful one is younger than `boundMs`, so within that
 * bound of losing the database every request goes to it and fails with 503.
 */
export class DatabaseHealth {
  private lastOkAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly options: { intervalMs: number; boundMs: number } = { intervalMs: 250, boundMs: 1000 },
  ) {}

  ok(): boolean {
    if (!this.timer) this.start();
    return performance.now() - this.lastOkAt < this.options.boundMs;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private start(): void {
    const check = () => {
      const sentAt = performance.now();
      this.ping().then(
        () => {
          this.lastOkAt = Math.max(this.lastOkAt, sentAt);
        },
        () => {},
      );
    };
    check();
    this.timer = setInterval(check, this.options.intervalMs);
    this.timer.unref();
  }
}
