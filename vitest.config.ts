import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages with a build (@gatehouse/node) are tested from their sources; the rest are
  // Vite's default conditions, which setting the option replaces.
  resolve: { conditions: ["gatehouse-source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["gatehouse-source", "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "e2e/**/*.test.ts"],
    // Builds the web app when stale, once, for the browser tests (e2e/).
    globalSetup: ["e2e/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make PGlite and argon2 fight for them.
    maxWorkers: 2,
  },
});
