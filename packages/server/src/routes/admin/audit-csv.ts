import type { StoredAuditEvent } from "@gatehouse/core";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { RouteContext } from "../../http/context.ts";
import { commonErrors } from "../../http/schemas.ts";
import { type AdminDeps, adminMeta } from "./admin-support.ts";
import { auditFilterQuery, toAuditFilter } from "./audit-filter.ts";

/** An export is bounded so one request cannot hold the database for ever; narrow the filters for more. */
const maxRows = 50_000;
const pageSize = 1000;
const columns = [
  "id",
  "occurred_at",
  "type",
  "realm",
  "principal_id",
  "actor",
  "ip",
  "user_agent",
  "session_id_hash",
  "details",
];

/** A formula trigger at the start of the cell or right after a character some reader splits on (spaces skipped). */
const formulaTrigger = /(^|[,;|\r\n]) *[=+\-@\t\r]/;

/**
 * One CSV cell, always quoted (a reader cannot split it on an embedded separator or line break). A cell
 * with a formula trigger (`= + - @`, tab, CR) at its start, or after a `,` `;` `|` or line break where
 * a reader with another delimiter would start a new cell (`a;=cmd()`), gets a leading `'`, so a
 * spreadsheet shows it as text instead of running what an attacker put in a user agent or an email.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (formulaTrigger.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

function csvRow(e: StoredAuditEvent): string {
  const cells = [
    e.id,
    e.occurredAt.toISOString(),
    e.type,
    e.realm,
    e.principalId,
    e.actor,
    e.ip,
    e.userAgent,
    e.sessionIdHash,
    e.details,
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** GET /api/admin/audit.csv: the filtered audit log as CSV (newest first, at most 50,000 rows). */
export function registerAuditCsv(app: FastifyInstance, ctx: RouteContext, deps: AdminDeps): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: "GET",
    url: "/api/admin/audit.csv",
    config: adminMeta(deps.realm, "audit.read", { stepUp: true }),
    schema: {
      tags: ["admin"],
      summary: "Export the audit log as CSV",
      operationId: "adminExportAuditCsv",
      querystring: z.strictObject(auditFilterQuery(ctx.realms.names)),
      response: {
        200: {
          description: "The events as CSV, one row per event, newest first",
          content: { "text/csv": { schema: z.string() } },
        },
        ...commonErrors,
      },
    },
    handler: async (request, reply) => {
      const filter = toAuditFilter(request.query);
      const lines = [`${columns.map(csvCell).join(",")}\r\n`];
      let beforeId: number | undefined;
      for (let rows = 0; rows < maxRows; rows += pageSize) {
        const page = await ctx.useCases.admin.searchAudit(filter, { beforeId, limit: pageSize });
        for (const event of page.events) lines.push(csvRow(event));
        if (page.nextBeforeId === null) break;
        beforeId = page.nextBeforeId;
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="gatehouse-audit.csv"')
        .send(lines.join(""));
    },
  });
}
