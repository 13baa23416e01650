import { verifySession } from "@gatehouse/node/express";
import express, { type Express } from "express";

/**
 * An Express app that knows who is signed in through Gatehouse: `/me` and `/notes` need a user-realm
 * session; `/notes` is a POST, so Gatehouse also checks its CSRF token.
 */
export function buildExampleApp(options: { gatehouseUrl: string }): Express {
  const app = express();
  app.set("trust proxy", "loopback");
  app.use(express.json());
  const signedIn = verifySession({ gatehouseUrl: options.gatehouseUrl, realm: "user" });

  app.get("/", (_req, res) => {
    res.json({ hello: "anyone" });
  });
  app.get("/me", signedIn, (req, res) => {
    res.json({ principal: req.gatehouse?.principal, sessionIdHash: req.gatehouse?.sessionIdHash });
  });
  app.post("/notes", signedIn, (req, res) => {
    res.json({ saved: req.body, by: req.gatehouse?.principal.email });
  });
  return app;
}
