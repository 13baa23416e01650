import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages with a build (@gatehouse/node) are tested from their sources.
  resolve: { conditions: ["gatehouse-source"] },
  ssr: { resolve: { conditions: ["gatehouse-source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make PGlite and argon2 fight for them.
    maxWorkers: 2,
  },
});
