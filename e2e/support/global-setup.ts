import { ensureWebBuild } from "../../apps/web/scripts/ensure-build.ts";

/**
 * Vitest global setup: the browser tests serve apps/web/dist, so it is built once, before any test
 * file starts (parallel files must not build it concurrently), and only when missing or stale.
 */
export default function setup(): void {
  ensureWebBuild({ quiet: true });
}
