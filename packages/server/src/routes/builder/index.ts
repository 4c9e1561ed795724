import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./builder.handlers.ts";
import * as routes from "./builder.routes.ts";

// Mounted before the agents router: /agents/generate and /agents/generation-reports/{id}
// are static paths that /agents/{id} routes would otherwise shadow.
export const builderRouter = createRouter()
  .openapi(routes.generateAgents, handlers.generateAgents)
  .openapi(routes.getGenerationReport, handlers.getGenerationReport)
  .openapi(routes.getProfile, handlers.getProfile)
  .openapi(routes.putProfile, handlers.putProfile)
  .openapi(routes.listProcedures, handlers.listProcedures);
