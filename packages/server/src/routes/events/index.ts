import { createRouter } from "../../lib/openapi.ts";
import { busStream } from "../../lib/sse.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { orgEvents } from "./events.routes.ts";

export const eventsRouter = createRouter().openapi(orgEvents, async (c) => busStream(c, orgOf(c).orgId, {}));
