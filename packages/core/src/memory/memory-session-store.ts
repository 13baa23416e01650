import type { SessionRecord, SessionStore } from "../session-store.ts";

/** Fast in-process double for core unit tests. Passes the same contract suite as the real stores. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  async insert(record: SessionRecord): Promise<void> {
    if (this.sessions.has(record.id)) throw new Error("duplicate session id");
    this.sessions.set(record.id, { ...record });
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const found = this.sessions.get(id);
    return found ? { ...found } : null;
  }

  async touch(id: string, update: { lastActivityAt: Date; idleExpiresAt: Date }): Promise<void> {
    const found = this.sessions.get(id);
    if (found) this.sessions.set(id, { ...found, ...update });
  }

  async replace(oldId: string, next: SessionRecord): Promise<boolean> {
    if (!this.sessions.delete(oldId)) return false;
    this.sessions.set(next.id, { ...next });
    return true;
  }

  async delete(id: string): Promise<boolean> {
    return this.sessions.delete(id);
  }

  async deleteByPrincipal(realm: string, principalId: string, options: { exceptId?: string } = {}): Promise<string[]> {
    const ended: string[] = [];
    for (const session of this.sessions.values()) {
      if (session.realm === realm && session.principalId === principalId && session.id !== options.exceptId) {
        this.sessions.delete(session.id);
        ended.push(session.id);
      }
    }
    return ended;
  }

  async markAuthenticated(id: string, at: Date): Promise<boolean> {
    const found = this.sessions.get(id);
    if (found) this.sessions.set(id, { ...found, authenticatedAt: at });
    return found !== undefined;
  }

  async flagRotation(realm: string, principalId: string): Promise<string[]> {
    const flagged: string[] = [];
    for (const session of this.sessions.values()) {
      if (session.realm === realm && session.principalId === principalId) {
        this.sessions.set(session.id, { ...session, rotationDue: true });
        flagged.push(session.id);
      }
    }
    return flagged;
  }

  async listByPrincipal(realm: string, principalId: string): Promise<SessionRecord[]> {
    return [...this.sessions.values()]
      .filter((s) => s.realm === realm && s.principalId === principalId)
      .sort(newestFirst)
      .map((s) => ({ ...s }));
  }
}

export function newestFirst(a: SessionRecord, b: SessionRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
