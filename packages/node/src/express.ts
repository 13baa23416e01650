import type { NextFunction, Request, Response } from "express";
import { factsFromNodeHeaders } from "./facts.ts";
import type { GatehouseIdentity } from "./types.ts";
import { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";

declare global {
  namespace Express {
    interface Request {
      /** Who is signed in, set by `verifySession()` before the next handler runs. */
      gatehouse?: GatehouseIdentity;
    }
  }
}

/**
 * Express middleware: asks Gatehouse about the request (its realm's cookie, method, CSRF token and
 * origin) and either sets `req.gatehouse` and calls `next()`, or answers Gatehouse's refusal (401,
 * 403, …) with `{ error: { code, message } }`.
 *
 * ```ts
 * app.get("/me", verifySession({ gatehouseUrl, realm: "user" }), (req, res) => res.json(req.gatehouse));
 * ```
 */
export function verifySession(options: VerifierOptions | GatehouseVerifier) {
  const verifier = options instanceof GatehouseVerifier ? options : new GatehouseVerifier(options);
  return function gatehouseVerifySession(req: Request, res: Response, next: NextFunction): void {
    verifier.verify(factsFromNodeHeaders(req.method, req.headers, req.ip)).then((result) => {
      if (result.setCookies.length > 0) res.append("set-cookie", result.setCookies);
      if (result.ok) {
        req.gatehouse = result.identity;
        next();
        return;
      }
      res.status(result.status).set("cache-control", "no-store").json({ error: result.error });
    }, next);
  };
}

export type { GatehouseIdentity } from "./types.ts";
export { GatehouseVerifier, type VerifierOptions } from "./verifier.ts";
