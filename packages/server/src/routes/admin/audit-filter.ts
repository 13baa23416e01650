import type { AuditFilter, StoredAuditEvent } from "@gatehouse/core";
import { GatehouseError } from "@gatehouse/core";
import { z } from "zod";

/** Query filters shared by the JSON and CSV audit endpoints. `type` is one type or a comma-separated list. */
export function auditFilterQuery(realmNames: string[]) {
  return {
    realm: z.enum(realmNames as [string, ...string[]]).optional(),
    principalId: z.uuid().optional(),
    type: z
      .string()
      .regex(/^[a-z_]{1,40}(,[a-z_]{1,40}){0,30}$/, "event types, comma-separated")
      .optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  };
}

export function toAuditFilter(query: {
  realm?: string | undefined;
  principalId?: string | undefined;
  type?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): AuditFilter {
  return {
    realm: query.realm,
    principalId: query.principalId,
    types: query.type?.split(","),
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}

/** Cursors are opaque to clients: the id of the last event seen, wrapped so nobody builds them by hand. */
export function encodeCursor(beforeId: number | null): string | null {
  return beforeId === null ? null : Buffer.from(`audit:${beforeId}`).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^audit:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1]) throw new GatehouseError("invalid_cursor");
  return Number(match[1]);
}

export const auditEventResponse = z
  .object({
    id: z.string(),
    type: z.string(),
    occurredAt: z.iso.datetime(),
    realm: z.string().nullable(),
    principalId: z.string().nullable(),
    actor: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    sessionIdHash: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "AuditEvent" });

export function toAuditEventResponse(event: StoredAuditEvent): z.infer<typeof auditEventResponse> {
  return {
    id: String(event.id),
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    realm: event.realm,
    principalId: event.principalId,
    actor: event.actor,
    ip: event.ip,
    userAgent: event.userAgent,
    sessionIdHash: event.sessionIdHash,
    details: event.details,
  };
}
