import { createRouter } from "../../lib/openapi.ts";
import * as handlers from "./phone-numbers.handlers.ts";
import * as routes from "./phone-numbers.routes.ts";

export const phoneNumbersRouter = createRouter()
  .openapi(routes.createPhoneNumber, handlers.createPhoneNumber)
  .openapi(routes.listPhoneNumbers, handlers.listPhoneNumbers)
  .openapi(routes.deletePhoneNumber, handlers.deletePhoneNumber);
