/**
 * Environment variables that look meant for Gatehouse but are not among the ones it reads (a typo is
 * otherwise silently ignored): a `GATEHOUSE_` name, one starting like a family of ours (`THROTTLE_…`,
 * `ADMIN_…`), or one a small edit away from a known name. Each with the closest known name.
 */
const families = [
  "GATEHOUSE_",
  "USER_",
  "ADMIN_",
  "THROTTLE_",
  "CAPTCHA_",
  "CLEANUP_",
  "SMTP_",
  "REDIS_",
  "OTP_",
  "METRICS_",
  "CRON_",
  "EXTRA_",
  "DATABASE_",
  "PUBLIC_",
  "DATA_",
  "ALLOW_",
  "SESSION_CACHE",
];

export interface UnknownVariable {
  name: string;
  suggestion: string | undefined;
}

export function unknownVariables(env: NodeJS.ProcessEnv, known: readonly string[]): UnknownVariable[] {
  const knownSet = new Set(known);
  const found: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (knownSet.has(name)) continue;
    const closest = closestName(name, known);
    const close = closest !== undefined && name.length >= 6 && closest.distance <= Math.max(1, name.length / 6);
    if (close || families.some((prefix) => name.startsWith(prefix))) {
      found.push({ name, suggestion: closest && closest.distance <= name.length / 3 ? closest.name : undefined });
    }
  }
  return found;
}

function closestName(name: string, known: readonly string[]): { name: string; distance: number } | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
