/** Client state of one realm, under keys only that realm uses. */
export interface RealmStorage {
  readonly prefix: string;
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Removes this realm's keys only; never `storage.clear()`, which would wipe the other realm (seed 002). */
  clear(): void;
}

/** The key prefix of a realm's client state. */
export function realmKeyPrefix(realm: string): string {
  return `gatehouse:${realm}:`;
}

/** Realm-scoped keys over a Storage (localStorage or sessionStorage). */
export function realmStorage(realm: string, storage: Storage): RealmStorage {
  const prefix = realmKeyPrefix(realm);
  return {
    prefix,
    get: (key) => storage.getItem(prefix + key),
    set: (key, value) => storage.setItem(prefix + key, value),
    remove: (key) => storage.removeItem(prefix + key),
    clear: () => {
      const own: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(prefix)) own.push(key);
      }
      for (const key of own) storage.removeItem(key);
    },
  };
}
