/**
 * @gatehouse/client: the typed Gatehouse API client (types generated from /api/openapi.json) and,
 * for browsers, the kit that keeps realms apart (CSRF, public fetch, activity, cross-tab channel, storage).
 */

export { type ActivityMonitor, activityEvents, createActivityMonitor } from "./activity-monitor.ts";
export {
  type ApiErrorBody,
  createGatehouseClient,
  errorCodeOf,
  type GatehouseClient,
  type GatehouseClientOptions,
  type Schemas,
} from "./api-client.ts";
export { type CsrfFetch, createCsrfFetch, csrfHeader, isUnsafeMethod } from "./csrf-fetch.ts";
export type { components, operations, paths } from "./generated/schema.d.ts";
export { type IdlePhase, idlePhase, warningWindowMs } from "./idle.ts";
export { createPublicClient, publicFetch } from "./public-fetch.ts";
export {
  createRealmChannel,
  type RealmChannel,
  type RealmEvent,
  type RealmEventType,
  realmChannelName,
} from "./realm-channel.ts";
export { type RealmStorage, realmKeyPrefix, realmStorage } from "./realm-storage.ts";
