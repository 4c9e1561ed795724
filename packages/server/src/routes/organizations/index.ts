import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./organizations.handlers.ts";
import * as routes from "./organizations.routes.ts";

export const organizationsRouter = createRouter()
  .openapi(routes.listOrganizations, handlers.listOrganizations)
  .openapi(routes.createOrganization, handlers.createOrganization)
  .openapi(routes.getCurrentOrganization, handlers.getCurrentOrganization)
  .openapi(routes.updateCurrentOrganization, handlers.updateCurrentOrganization);
