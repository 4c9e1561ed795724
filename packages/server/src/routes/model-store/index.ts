import { z } from "@hono/zod-openapi";
import { listModels } from "@oratio/providers";
import { createRouter, defineRoute, Timestamp } from "../../lib/openapi.ts";

const StoredModelSchema = z
  .object({
    name: z.string().openapi({ example: "llm/qwen2.5-0.5b-instruct-q4_k_m.gguf" }),
    kind: z.string(),
    bytes: z.number().int(),
    modifiedAt: Timestamp,
  })
  .openapi("StoredModel");

export const listStoredModels = defineRoute(
  { role: "viewer", scope: "providers:read" },
  {
    method: "get",
    path: "/model-store",
    tags: ["Providers"],
    summary: "Model files in the server's model store (ORATIO_MODELS_DIR), usable with the `local` provider",
    responses: {
      200: {
        description: "Models",
        content: {
          "application/json": {
            schema: z.object({ data: z.array(StoredModelSchema), directory: z.string() }),
          },
        },
      },
    },
  },
);

export const modelStoreRouter = createRouter().openapi(listStoredModels, async (c) => {
  const { modelsDir } = c.get("deps").config;
  const models = await listModels(modelsDir, { signal: c.req.raw.signal });
  return c.json(
    {
      // The directory is the server's own setting, shown so an operator knows where to put files.
      directory: modelsDir,
      data: models.map((m) => ({
        name: m.name,
        kind: m.kind,
        bytes: m.bytes,
        modifiedAt: m.modifiedAt.toISOString(),
      })),
    },
    200,
  );
});
