// `npm run build:server`: the production bundle — plain JavaScript, no tsx at run time.
//   packages/server/dist/main.js   the server (node packages/server/dist/main.js)
//   packages/server/dist/cli.js    the CLI (node packages/server/dist/cli.js doctor)
//   packages/server/dist/drizzle/  the SQL migrations, found beside the bundle (db/database.ts)
//   packages/server/dist/chamahub-drizzle/  ChamaHub's own migration set
// Inside packages/server, so Node resolves the externals from packages/server/node_modules (npm
// nests some there) and then the root node_modules.
// Our workspace packages (@gatehouse/*, TypeScript sources) are bundled; every npm dependency stays
// external and is loaded from node_modules, so native and WASM packages (argon2, PGlite) work as is.
// `--outdir DIR` builds elsewhere (relative to the repository root).
import { cp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const outIndex = process.argv.indexOf("--outdir");
const outdir = path.resolve(root, (outIndex > 0 && process.argv[outIndex + 1]) || "packages/server/dist");

const manifests = [
  "package.json",
  "packages/server/package.json",
  "packages/core/package.json",
  "packages/chamahub/package.json",
];
const external = new Set();
for (const manifest of manifests) {
  const pkg = JSON.parse(await readFile(path.join(root, manifest), "utf8"));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (!name.startsWith("@gatehouse/")) external.add(name);
  }
}

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    main: path.join(root, "packages/server/src/main.ts"),
    cli: path.join(root, "packages/server/src/cli/index.ts"),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // `pkg/subpath` imports are external too.
  external: [...external].flatMap((name) => [name, `${name}/*`]),
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
await cp(path.join(root, "packages/server/drizzle"), path.join(outdir, "drizzle"), { recursive: true });
// ChamaHub's own migration set (packages/chamahub/src/db/migrations.ts looks for it here).
await cp(path.join(root, "packages/chamahub/drizzle"), path.join(outdir, "chamahub-drizzle"), { recursive: true });
process.stdout.write(`Built ${path.relative(root, outdir) || "."}/main.js and cli.js\n`);
