import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./invitations.handlers.ts";
import * as routes from "./invitations.routes.ts";

// Static paths (/lookup, /accept) are registered before /{id} routes.
export const invitationsRouter = createRouter()
  .openapi(routes.lookupInvitation, handlers.lookupInvitation)
  .openapi(routes.acceptInvitation, handlers.acceptInvitation)
  .openapi(routes.createInvitation, handlers.createInvitation)
  .openapi(routes.listInvitations, handlers.listInvitations)
  .openapi(routes.revokeInvitation, handlers.revokeInvitation);
