/**
 * @gatehouse/client: the typed Gatehouse API client (types generated from /api/openapi.json) and,
 * for browsers, the kit that keeps realms apart (CSRF, public fetch, activity, cross-tab channel, storage).
 */
export {
  type ApiErrorBody,
  createGatehouseClient,
  errorCodeOf,
  type GatehouseClient,
  type GatehouseClientOptions,
  type Schemas,
} from "./api-client.ts";
export type { components, operations, paths } from "./generated/schema.d.ts";
