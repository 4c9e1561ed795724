import { UnprocessableError } from "@oratio/core";
import { type OrgScope, providers } from "@oratio/db";
import { listModels } from "@oratio/providers";
import { asc, eq } from "drizzle-orm";

export interface BuildModel {
  providerId: string;
  model: string;
}

async function firstLocalModel(modelsDir: string): Promise<string | undefined> {
  const found = await listModels(modelsDir);
  return found.find((m) => m.kind === "llm" || m.name.endsWith(".gguf"))?.name;
}

/**
 * The model that builds the agents (and that they are given): the one asked for; else the
 * organization's first provider with its default model; else a local model from the store.
 */
export async function resolveBuildModel(
  scope: OrgScope,
  modelsDir: string,
  wanted: { providerId?: string | undefined; model?: string | undefined },
): Promise<BuildModel> {
  if (wanted.providerId && wanted.providerId !== "local") {
    const [row] = await scope.db
      .select()
      .from(providers)
      .where(scope.where(providers, eq(providers.id, wanted.providerId)));
    if (!row)
      throw new UnprocessableError("No such provider.", [
        { path: "body.providerId", message: "No such provider" },
      ]);
    const model = wanted.model ?? defaultModelOf(row.options);
    if (!model)
      throw new UnprocessableError(`The provider "${row.name}" has no default model; pass \`model\`.`, [
        { path: "body.model", message: "Required for this provider" },
      ]);
    return { providerId: row.id, model };
  }
  if (wanted.providerId === "local" || (!wanted.providerId && wanted.model)) {
    const model = wanted.model ?? (await firstLocalModel(modelsDir));
    if (!model)
      throw new UnprocessableError(
        `No local model was found in the model store (${modelsDir}); pull one with \`oratio models pull\` or pass \`model\`.`,
      );
    return { providerId: "local", model };
  }
  const [first] = await scope.db
    .select()
    .from(providers)
    .where(scope.where(providers))
    .orderBy(asc(providers.createdAt))
    .limit(1);
  const providerModel = first ? defaultModelOf(first.options) : undefined;
  if (first && providerModel) return { providerId: first.id, model: providerModel };
  const local = await firstLocalModel(modelsDir);
  if (local) return { providerId: "local", model: local };
  throw new UnprocessableError(
    "There is no model to build the agents with. Add a provider with a default model " +
      "(POST /api/v1/providers with options.defaultModel), put a GGUF model in the model store " +
      "(ORATIO_MODELS_DIR), or pass `providerId` and `model`.",
  );
}

function defaultModelOf(options: unknown): string | undefined {
  const o = (options ?? {}) as { defaultModel?: unknown; model?: unknown };
  const value = o.defaultModel ?? o.model;
  return typeof value === "string" && value.trim() ? value : undefined;
}
