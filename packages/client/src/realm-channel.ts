/** What one tab tells the other tabs of the same realm. */
export type RealmEventType = "login" | "logout" | "idle" | "activity";

export interface RealmEvent {
  type: RealmEventType;
  realm: string;
  /** The sending tab (a tab ignores its own messages). */
  tab: string;
  /** For "activity" and "login": the session's new idle deadline (ISO time), so other tabs follow it. */
  idleExpiresAt?: string;
}

export interface RealmChannel {
  readonly realm: string;
  post(type: RealmEventType, extra?: { idleExpiresAt?: string }): void;
  /** Listens to the other tabs of this realm; returns the unsubscribe function. */
  subscribe(listener: (event: RealmEvent) => void): () => void;
  close(): void;
}

type ChannelConstructor = new (name: string) => BroadcastChannel;

/** The BroadcastChannel name of a realm: one channel per realm, so no other realm ever hears it. */
export function realmChannelName(realm: string): string {
  return `gatehouse:realm:${realm}`;
}

/**
 * Cross-tab events for one realm (seed 002, next-auth #4612, Keycloak #23832): a login, logout or
 * idle sign-out in one tab reaches the other tabs of the same realm, and only them. Messages naming
 * another realm are dropped even if they arrive (defence in depth).
 */
export function createRealmChannel(
  realm: string,
  options: { BroadcastChannel?: ChannelConstructor; tab?: string } = {},
): RealmChannel {
  const Channel = options.BroadcastChannel ?? (globalThis.BroadcastChannel as ChannelConstructor | undefined);
  const tab = options.tab ?? globalThis.crypto.randomUUID();
  const channel = Channel ? new Channel(realmChannelName(realm)) : undefined;
  const listeners = new Set<(event: RealmEvent) => void>();
  if (channel) {
    channel.onmessage = (message: MessageEvent) => {
      const event = message.data as Partial<RealmEvent> | null;
      if (!event || event.realm !== realm || event.tab === tab || typeof event.type !== "string") return;
      for (const listener of listeners) listener(event as RealmEvent);
    };
  }
  return {
    realm,
    post: (type, extra) => channel?.postMessage({ type, realm, tab, ...extra } satisfies RealmEvent),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      listeners.clear();
      channel?.close();
    },
  };
}
