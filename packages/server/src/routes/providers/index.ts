import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./providers.handlers.ts";
import * as routes from "./providers.routes.ts";

export const providersRouter = createRouter()
  .openapi(routes.createProvider, handlers.createProvider)
  .openapi(routes.listProviders, handlers.listProviders)
  .openapi(routes.deleteProvider, handlers.deleteProvider);
