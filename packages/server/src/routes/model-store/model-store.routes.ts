import { z } from "@hono/zod-openapi";
import { MODEL_KINDS } from "@oratio/providers";
import { defineRoute, Timestamp } from "../../lib/openapi.ts";

const tags = ["Providers"];

const StoredModelSchema = z
  .object({
    name: z.string().openapi({ example: "llm/qwen2.5-0.5b-instruct-q4_k_m.gguf" }),
    kind: z.string(),
    bytes: z.number().int(),
    modifiedAt: Timestamp,
  })
  .openapi("StoredModel");

const CatalogueModelSchema = z
  .object({
    name: z.string().openapi({ example: "smollm2-135m-instruct-q8_0" }),
    kind: z.enum(MODEL_KINDS as [string, ...string[]]),
    url: z.string(),
    sha256: z.string(),
    bytes: z.number().int().nullable().openapi({ description: "Exact size when catalogued" }),
    file: z.string().openapi({ description: "Where the file lands in the store", example: "llm/model.gguf" }),
    license: z.string().nullable(),
    description: z.string().nullable(),
    inStore: z
      .boolean()
      .openapi({ description: "A file of that name (and size, when known) is in the store" }),
  })
  .openapi("CatalogueModel");

export const PullModelBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "smollm2-135m-instruct-q8_0" }),
    force: z
      .boolean()
      .default(false)
      .openapi({ description: "Download again even when the store holds the file with the right sha256" }),
  })
  .openapi("PullModelRequest");

export const listStoredModels = defineRoute(
  { role: "viewer", scope: "providers:read" },
  {
    method: "get",
    path: "/model-store",
    tags,
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

export const listCatalogue = defineRoute(
  { role: "viewer", scope: "providers:read" },
  {
    method: "get",
    path: "/model-store/catalogue",
    tags,
    summary: "Models the server can pull: the built-in catalogue plus ORATIO_MODEL_CATALOGUE",
    responses: {
      200: {
        description: "Catalogue",
        content: { "application/json": { schema: z.object({ data: z.array(CatalogueModelSchema) }) } },
      },
      503: { description: "The operator catalogue cannot be read" },
    },
  },
);

export const pullModel = defineRoute(
  { role: "admin", scope: "providers:write" },
  {
    method: "post",
    path: "/model-store/pull",
    tags,
    summary: "Download a catalogued model into the store, as a background job",
    description:
      "The file is fetched through the outbound-request guard, hashed while it streams to a temp file and " +
      "moved into the store only when its sha256 matches. Follow `/jobs/{jobId}` or `/jobs/{jobId}/events`: " +
      "progress is `{receivedBytes, totalBytes}`, the result `{name, file, bytes, sha256, downloaded}`.",
    request: { body: { content: { "application/json": { schema: PullModelBody } } } },
    responses: {
      202: {
        description: "Pull started",
        content: {
          "application/json": {
            schema: z
              .object({ jobId: z.uuid(), name: z.string(), file: z.string() })
              .openapi("PullModelStarted"),
          },
        },
      },
      503: { description: "The operator catalogue cannot be read" },
    },
  },
);
