import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./sessions.handlers.ts";
import * as routes from "./sessions.routes.ts";

export const sessionsRouter = createRouter()
  .openapi(routes.createSession, handlers.createSession)
  .openapi(routes.postMessage, handlers.postMessage)
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.getSession, handlers.getSession)
  .openapi(routes.sessionEvents, handlers.sessionEvents)
  .openapi(routes.endSession, handlers.endSession)
  .openapi(routes.takeoverSession, handlers.takeoverSession)
  .openapi(routes.releaseSession, handlers.releaseSession)
  .openapi(routes.operatorMessage, handlers.operatorMessage);
