import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "./generated/schema.d.ts";

/** The named response and request shapes of the API (`Schemas["Session"]`, `Schemas["Principal"]`, …). */
export type Schemas = components["schemas"];

/** A client whose paths, parameters, bodies and answers are the server's OpenAPI document, typed. */
export type GatehouseClient = Client<paths>;

/** The error body every API failure has (`{ error: { code, message, details? } }`). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface GatehouseClientOptions {
  /** The server's origin; "" (the default) for same-origin calls from the web app. */
  baseUrl?: string;
  /** The fetch to use (tests, or a wrapper such as the browser kit's CSRF-aware fetch). */
  fetch?: ClientOptions["fetch"];
  /** Defaults to "same-origin": the realm cookies go with every call to the Gatehouse origin. */
  credentials?: RequestCredentials;
}

/** A typed client for the Gatehouse API (openapi-fetch over the generated `paths`). */
export function createGatehouseClient(options: GatehouseClientOptions = {}): GatehouseClient {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? "",
    credentials: options.credentials ?? "same-origin",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The catalogued error code of a failed answer's body, if it has one. */
export function errorCodeOf(body: unknown): string | undefined {
  const error = (body as Partial<ApiErrorBody> | null | undefined)?.error;
  return typeof error?.code === "string" ? error.code : undefined;
}
