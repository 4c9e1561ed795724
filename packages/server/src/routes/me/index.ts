import { createRouter } from "../../lib/openapi.ts";
import { getMeHandler } from "./me.handlers.ts";
import { getMe } from "./me.routes.ts";

export const meRouter = createRouter().openapi(getMe, getMeHandler);
