import type { OpenAPIHono } from "@hono/zod-openapi";
import { PayloadTooLargeError } from "@oratio/core";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../context.ts";
import { createRouter } from "../../lib/openapi.ts";
import { authenticate } from "../../middleware/authenticate.ts";
import { ipRateLimit } from "../../middleware/limits.ts";
import * as handlers from "./openai-compat.handlers.ts";
import * as routes from "./openai-compat.routes.ts";
import { openAiErrorShape } from "./openai-errors.ts";

/** Where OpenAI clients expect the API: `baseURL` = `<server>/v1`. */
export const OPENAI_COMPAT_PREFIX = "/v1";

export const openAiCompatRouter = createRouter()
  .openapi(routes.createChatCompletion, handlers.createChatCompletion)
  .openapi(routes.listModels, handlers.listModels)
  .openapi(routes.getModel, handlers.getModel);

/**
 * Mounts the OpenAI-compatible API at /v1 with the same guards as /api/v1 (body limit,
 * per-IP rate limit, authentication), wrapped so every error, including the guards' own,
 * reaches the client in OpenAI's error shape. Call after the app-wide middleware.
 */
export function mountOpenAiCompat(app: OpenAPIHono<AppEnv>): void {
  app.use(
    `${OPENAI_COMPAT_PREFIX}/*`,
    openAiErrorShape(),
    async (c, next) => {
      const maxSize = c.get("deps").config.bodyLimitBytes;
      return bodyLimit({
        maxSize,
        onError: () => {
          throw new PayloadTooLargeError(`The request body exceeds ${maxSize} bytes.`);
        },
      })(c, next);
    },
    ipRateLimit(),
    authenticate(),
  );
  app.route(OPENAI_COMPAT_PREFIX, openAiCompatRouter);
}
