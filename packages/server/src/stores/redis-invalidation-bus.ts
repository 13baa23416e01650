import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import type { InvalidationBus } from "./invalidation-bus.ts";

export interface RedisBusOptions {
  /** How long a node keeps trusting its cache after the last heartbeat it heard back from Redis. */
  stalenessBoundMs: number;
  heartbeatMs: number;
  /** How long a revocation waits for every node's confirmation before falling back to the bound. */
  ackTimeoutMs: number;
}

export const defaultRedisBusOptions: RedisBusOptions = { stalenessBoundMs: 1000, heartbeatMs: 200, ackTimeoutMs: 250 };

type Message =
  | { kind: "invalidate"; ids: string[]; from: string; nonce: string }
  | { kind: "heartbeat"; from: string; at: number };

/**
 * Session invalidations across nodes over Redis pub/sub, exact by construction:
 * - every node subscribes to one channel; a revoking node publishes the ids and waits until every node
 *   that received them (PUBLISH's count) has confirmed dropping them;
 * - each node publishes a heartbeat on the same channel and trusts its cache only while it has heard
 *   back one of its own heartbeats sent within `stalenessBoundMs`. One channel on one Redis is totally
 *   ordered, so a node that heard a heartbeat it sent after a revocation reached Redis has processed
 *   that revocation too;
 * - when confirmations are missing (a node slow, cut off, or Redis down), the revoking node waits out
 *   the bound after its publish settled: by then every node either processed the revocation or stopped
 *   using its cache. A revocation is then slower (about a second), never unsafe.
 * A node that loses Redis serves from the database with its cache off, and resumes on its own when
 * heartbeats come back (ioredis reconnects and resubscribes).
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly nodeId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly ackChannel: string;
  private readonly pending = new Map<string, { needed: number; got: number; done: () => void }>();
  private readonly listeners: Array<(ids: readonly string[]) => void> = [];
  private lastHeardSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    url: string,
    prefix: string,
    private readonly options: RedisBusOptions = defaultRedisBusOptions,
  ) {
    const settings = { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true };
    // Publishing never waits for a reconnect (no offline queue): a failed publish falls back to the bound.
    this.pub = new Redis(url, { ...settings, enableOfflineQueue: false });
    this.sub = new Redis(url, { ...settings, maxRetriesPerRequest: null });
    for (const connection of [this.pub, this.sub]) connection.on("error", () => {}); // usable() reports it
    this.channel = `${prefix}session-invalidations`;
    this.ackChannel = `${prefix}session-invalidation-acks:${this.nodeId}`;
    this.sub.on("message", (channel: string, text: string) => this.onMessage(channel, text));
  }

  subscribe(drop: (ids: readonly string[]) => void): void {
    this.listeners.push(drop);
  }

  usable(): boolean {
    this.start();
    return this.sub.status === "ready" && performance.now() - this.lastHeardSentAt < this.options.stalenessBoundMs;
  }

  async publish(ids: readonly string[]): Promise<void> {
    this.start();
    const nonce = randomUUID();
    let confirmed = false;
    const acked = new Promise<void>((resolve) => {
      this.pending.set(nonce, { needed: Number.POSITIVE_INFINITY, got: 0, done: resolve });
    });
    try {
      const message: Message = { kind: "invalidate", ids: [...ids], from: this.nodeId, nonce };
      const receivers = await this.pub.publish(this.channel, JSON.stringify(message));
      const entry = this.pending.get(nonce);
      if (entry) {
        entry.needed = receivers;
        if (entry.got >= receivers) entry.done();
      }
      confirmed = await Promise.race([acked.then(() => true), sleep(this.options.ackTimeoutMs).then(() => false)]);
    } catch {
      // Redis unreachable: nobody can be told; fall back to the bound below.
    } finally {
      this.pending.delete(nonce);
    }
    // From here on, a heartbeat any node sends reaches Redis after our message (if it got there at all):
    // within the bound every node has either processed it or stopped trusting its cache.
    if (!confirmed) await sleep(this.options.stalenessBoundMs + this.options.heartbeatMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(
      [this.pub, this.sub].map((connection) =>
        connection.status === "wait" || connection.status === "end"
          ? connection.disconnect()
          : connection.quit().catch(() => connection.disconnect()),
      ),
    );
  }

  /** Connects and subscribes on first use, so a process that never reads a session opens nothing. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.pub.connect().catch(() => {});
    this.sub.subscribe(this.channel, this.ackChannel).catch(() => {});
    const beat = () => {
      const message: Message = { kind: "heartbeat", from: this.nodeId, at: performance.now() };
      this.pub.publish(this.channel, JSON.stringify(message)).catch(() => {});
    };
    beat();
    this.timer = setInterval(beat, this.options.heartbeatMs);
    this.timer.unref();
  }

  private onMessage(channel: string, text: string): void {
    if (channel === this.ackChannel) {
      const entry = this.pending.get(text);
      if (entry && ++entry.got >= entry.needed) entry.done();
      return;
    }
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.kind === "heartbeat") {
      if (message.from === this.nodeId) this.lastHeardSentAt = Math.max(this.lastHeardSentAt, message.at);
      return;
    }
    for (const drop of this.listeners) drop(message.ids);
    const ackTo = `${this.channel.slice(0, -"session-invalidations".length)}session-invalidation-acks:${message.from}`;
    this.pub.publish(ackTo, message.nonce).catch(() => {});
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
