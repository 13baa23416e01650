import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages with a build (@gatehouse/node) are tested from their sources; the rest are
  // Vite's default conditions, which setting the option replaces.
  resolve: { conditions: ["gatehouse-source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["gatehouse-source", "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make PGlite and argon2 fight for them.
    maxWorkers: 2,
  },
});
