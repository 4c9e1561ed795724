import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./members.handlers.ts";
import * as routes from "./members.routes.ts";

export const membersRouter = createRouter()
  .openapi(routes.listMembers, handlers.listMembers)
  .openapi(routes.updateMember, handlers.updateMember)
  .openapi(routes.removeMember, handlers.removeMember);
