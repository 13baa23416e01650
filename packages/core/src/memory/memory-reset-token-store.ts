import type { ResetTokenRecord, ResetTokenStore } from "../reset-tokens.ts";

/** In-process double; passes the same contract suite as the SQL store. */
export class MemoryResetTokenStore implements ResetTokenStore {
  private readonly byHash = new Map<string, ResetTokenRecord>();

  async issue(record: ResetTokenRecord): Promise<void> {
    await this.deleteByPrincipal(record.realm, record.principalId);
    this.byHash.set(record.tokenHash, { ...record });
  }

  async consume(realm: string, tokenHash: string, now: Date): Promise<ResetTokenRecord | null> {
    const found = this.byHash.get(tokenHash);
    if (!found || found.realm !== realm || found.expiresAt.getTime() <= now.getTime()) return null;
    this.byHash.delete(tokenHash);
    return { ...found };
  }

  async deleteByPrincipal(realm: string, principalId: string): Promise<number> {
    let ended = 0;
    for (const [hash, record] of this.byHash) {
      if (record.realm === realm && record.principalId === principalId) {
        this.byHash.delete(hash);
        ended += 1;
      }
    }
    return ended;
  }
}
