import { createRouter } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { overview } from "./analytics.routes.ts";
import { analyticsOverview } from "./analytics.service.ts";

export const analyticsRouter = createRouter().openapi(overview, async (c) =>
  c.json(await analyticsOverview(orgOf(c).scope, c.req.valid("query")), 200),
);
