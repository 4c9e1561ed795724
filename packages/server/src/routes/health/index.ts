import { createRouter } from "../../lib/openapi.ts";
import { healthz, readyz } from "./health.routes.ts";

export const healthRouter = createRouter()
  .openapi(healthz, (c) => c.json({ status: "ok" }, 200))
  .openapi(readyz, async (c) => {
    const { database } = c.get("deps");
    try {
      await database.ping();
      return c.json({ status: "ready", database: database.driver }, 200);
    } catch {
      return c.json({ status: "unavailable", database: database.driver }, 503);
    }
  });
