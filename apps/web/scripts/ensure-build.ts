import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const webDir = path.resolve(import.meta.dirname, "..");
const repoDir = path.resolve(webDir, "../..");
/** What the build reads: when any of it is newer than dist/index.html, the build is stale. */
const inputs = [
  path.join(webDir, "src"),
  path.join(webDir, "public"),
  path.join(webDir, "index.html"),
  path.join(webDir, "vite.config.ts"),
  path.join(webDir, "package.json"),
  path.join(repoDir, "packages/client/src"),
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when apps/web/dist is missing or older than its sources. */
export function webBuildIsStale(): boolean {
  const index = path.join(webDir, "dist/index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return inputs.some((input) => newestMtime(input) > built);
}

/** Builds the web app (`npm run build:web`) when it is missing or stale; a fresh build is left alone. */
export function ensureWebBuild(options: { quiet?: boolean } = {}): void {
  if (!webBuildIsStale()) return;
  if (!options.quiet) process.stdout.write("Building the web app (apps/web/dist is missing or stale)…\n");
  execFileSync("npm", ["run", "build", "--workspace", "@gatehouse/web"], {
    cwd: repoDir,
    stdio: options.quiet ? "pipe" : "inherit",
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) ensureWebBuild();
