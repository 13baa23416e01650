import { gatehouseMiddleware } from "@gatehouse/node/next";
import { gatehouse } from "./lib/gatehouse";

/** Signed-out visitors of /dashboard go to Gatehouse's sign-in page; API calls get a 401. */
export const middleware = gatehouseMiddleware({ ...gatehouse, signInPath: "/login" });

export const config = { matcher: ["/dashboard/:path*", "/api/notes/:path*"] };
