/**
 * Keys on the bus are session ids, or `principal:<id>` for principal records (caching-principal-store.ts);
 * each cache ignores keys it does not hold.
 *
 * How invalidations reach every process that caches sessions. `local` (one node): nothing to send.
 * Redis (`redis-invalidation-bus.ts`): published to every node, and `publish` returns only once every
 * node has dropped the ids — or once the staleness bound has passed, after which a node that did not
 * confirm has stopped using its cache (`usable()` turns false when it stops hearing from Redis).
 */
export interface InvalidationBus {
  /** Resolves when no node can still serve one of these ids from its cache. */
  publish(sessionIds: readonly string[]): Promise<void>;
  /** Registers a local cache's drop function for invalidations from other nodes (any number of caches). */
  subscribe(drop: (sessionIds: readonly string[]) => void): void;
  /** False while this node cannot be sure it hears every invalidation (then the cache is bypassed). */
  usable(): boolean;
  close(): Promise<void>;
}

export const localInvalidationBus: InvalidationBus = {
  publish: async () => {},
  subscribe: () => {},
  usable: () => true,
  close: async () => {},
};
