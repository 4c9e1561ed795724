import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./agents.handlers.ts";
import * as routes from "./agents.routes.ts";

// Static paths (/export, /import) before /{id}.
export const agentsRouter = createRouter()
  .openapi(routes.exportAgents, handlers.exportAgents)
  .openapi(routes.importAgents, handlers.importAgents)
  .openapi(routes.createAgent, handlers.createAgent)
  .openapi(routes.listAgents, handlers.listAgents)
  .openapi(routes.getAgent, handlers.getAgent)
  .openapi(routes.updateAgent, handlers.updateAgent)
  .openapi(routes.deleteAgent, handlers.deleteAgent)
  .openapi(routes.listVersions, handlers.listVersions)
  .openapi(routes.getVersion, handlers.getVersion)
  .openapi(routes.diffVersions, handlers.diffVersions)
  .openapi(routes.publishVersion, handlers.publishVersion);
