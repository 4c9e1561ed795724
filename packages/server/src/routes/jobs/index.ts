import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./jobs.handlers.ts";
import * as routes from "./jobs.routes.ts";

export const jobsRouter = createRouter()
  .openapi(routes.listJobs, handlers.listJobs)
  .openapi(routes.getJob, handlers.getJob)
  .openapi(routes.jobEvents, handlers.jobEvents)
  .openapi(routes.cancelJob, handlers.cancelJob);
