import { withSession } from "@gatehouse/node/next";
import { gatehouse } from "../../../lib/gatehouse";

/** POST /api/notes: needs the session and its CSRF token (X-CSRF-Token), which Gatehouse checks. */
export const POST = withSession(gatehouse, async (request, { principal }) =>
  Response.json({ saved: await request.json(), by: principal.email }),
);
