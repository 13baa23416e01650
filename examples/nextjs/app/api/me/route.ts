import { withSession } from "@gatehouse/node/next";
import { gatehouse } from "../../../lib/gatehouse";

/** GET /api/me: the signed-in principal, or Gatehouse's 401. */
export const GET = withSession(gatehouse, (_request, { principal, sessionIdHash }) =>
  Response.json({ principal, sessionIdHash }),
);
