import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./agent-tests.handlers.ts";
import * as routes from "./agent-tests.routes.ts";

export const agentTestsRouter = createRouter()
  .openapi(routes.listTests, handlers.listTests)
  .openapi(routes.createTest, handlers.createTest)
  .openapi(routes.deleteTest, handlers.deleteTest)
  .openapi(routes.runTests, handlers.runTests)
  .openapi(routes.listTestRuns, handlers.listTestRuns)
  .openapi(routes.getTestRun, handlers.getTestRun);
