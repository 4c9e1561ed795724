import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./tools.handlers.ts";
import * as routes from "./tools.routes.ts";

export const toolsRouter = createRouter()
  .openapi(routes.createTool, handlers.createTool)
  .openapi(routes.listTools, handlers.listTools)
  .openapi(routes.getTool, handlers.getTool)
  .openapi(routes.updateTool, handlers.updateTool)
  .openapi(routes.deleteTool, handlers.deleteTool)
  .openapi(routes.testTool, handlers.testTool);
