import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./model-store.handlers.ts";
import * as routes from "./model-store.routes.ts";

export const modelStoreRouter = createRouter()
  .openapi(routes.listStoredModels, handlers.listStoredModels)
  .openapi(routes.listCatalogue, handlers.listCatalogue)
  .openapi(routes.pullModel, handlers.pullModel);
