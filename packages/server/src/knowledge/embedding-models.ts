import { type FieldIssue, NotFoundError, UnprocessableError } from "@oratio/core";
import type { EmbeddingModel } from "@oratio/core/embeddings";
import { type OrgScope, providers } from "@oratio/db";
import { createGuardedFetch } from "@oratio/net";
import { createEmbeddingModel, EMBEDDING_PROVIDER_TYPES, listModels } from "@oratio/providers";
import { eq } from "drizzle-orm";
import { openSecret } from "../crypto/secret-box.ts";
import type { Config } from "../env.ts";

/** What a knowledge base names to embed its chunks: a provider of the organization (or `local`) and its model. */
export interface EmbeddingChoice {
  providerId: string;
  model: string;
}

/** Stored next to each vector, so vectors of different models are never compared. */
export function embeddingRef(choice: EmbeddingChoice): string {
  return `${choice.providerId}|${choice.model}`;
}

/** The base's choice, or null when it has none (full-text search only). */
export function embeddingChoiceOf(row: {
  embeddingProviderId: string | null;
  embeddingModel: string | null;
}): EmbeddingChoice | null {
  return row.embeddingProviderId && row.embeddingModel
    ? { providerId: row.embeddingProviderId, model: row.embeddingModel }
    : null;
}

/** Turns a knowledge base's embedding choice into a live model for one organization. */
export interface EmbeddingModels {
  resolve(scope: OrgScope, choice: EmbeddingChoice): Promise<EmbeddingModel>;
}

/**
 * Refuses a choice that could never work, when it is made: a provider of another
 * organization (or none), a provider type without embeddings, a local model that is not a
 * GGUF file in the model store. Whether the provider answers is learnt by the embedding job.
 */
export async function validateEmbeddingChoice(
  scope: OrgScope,
  modelsDir: string,
  choice: EmbeddingChoice,
): Promise<void> {
  const issues: FieldIssue[] = [];
  let type = "local";
  if (choice.providerId !== "local") {
    const [row] = await scope.db
      .select({ type: providers.type })
      .from(providers)
      .where(scope.where(providers, eq(providers.id, choice.providerId)));
    if (!row) {
      throw new UnprocessableError("No such provider.", [
        { path: "body.embedding.providerId", message: "No such provider" },
      ]);
    }
    type = row.type;
  }
  if (!(EMBEDDING_PROVIDER_TYPES as readonly string[]).includes(type)) {
    issues.push({
      path: "body.embedding.providerId",
      message: `A ${type} provider does not offer embeddings here; use ${EMBEDDING_PROVIDER_TYPES.join(", ")}`,
    });
  } else if (type === "local") {
    const stored = await listModels(modelsDir);
    if (!stored.some((m) => m.name === choice.model && m.name.endsWith(".gguf"))) {
      issues.push({ path: "body.embedding.model", message: "Not a GGUF file in the model store" });
    }
  }
  if (issues.length) throw new UnprocessableError("This embedding model cannot be used.", issues);
}

/**
 * The default resolver: `local` (or a provider of type local) runs a GGUF from the model
 * store in-process; other providers have their key decrypted and every request pass the
 * outbound-request guard, like the language models.
 */
export class ProviderEmbeddingModels implements EmbeddingModels {
  constructor(
    private readonly config: Config,
    private readonly encryptionKey: Buffer,
  ) {}

  async resolve(scope: OrgScope, choice: EmbeddingChoice): Promise<EmbeddingModel> {
    const local = () =>
      createEmbeddingModel({
        type: "local",
        model: choice.model,
        modelsDir: this.config.modelsDir,
        threads: 1,
      });
    if (choice.providerId === "local") return local();
    const [row] = await scope.db
      .select()
      .from(providers)
      .where(scope.where(providers, eq(providers.id, choice.providerId)));
    if (!row) throw new NotFoundError("Embedding provider");
    const apiKey = row.apiKeyEncrypted ? openSecret(this.encryptionKey, row.apiKeyEncrypted) : undefined;
    // undici's fetch types differ from the DOM ones only nominally.
    const fetch = createGuardedFetch({
      allowList: this.config.fetchAllow,
    }) as unknown as typeof globalThis.fetch;
    const options = row.options as { dimensions?: unknown };
    switch (row.type) {
      case "local":
        return local();
      case "openai":
        return createEmbeddingModel({
          type: "openai",
          model: choice.model,
          apiKey,
          baseUrl: row.baseUrl ?? undefined,
          fetch,
          ...(typeof options.dimensions === "number" ? { dimensions: options.dimensions } : {}),
        });
      case "openai-compatible":
        return createEmbeddingModel({
          type: "openai-compatible",
          model: choice.model,
          baseUrl: row.baseUrl ?? "",
          apiKey,
          name: row.name,
          fetch,
        });
      default:
        throw new UnprocessableError(`A ${row.type} provider does not offer embeddings here.`);
    }
  }
}

const shared = new WeakMap<Config, ProviderEmbeddingModels>();

/** One resolver per server configuration (it holds no state besides it). */
export function embeddingModelsFor(deps: {
  config: Config;
  keyring: { encryption: Buffer };
}): EmbeddingModels {
  let models = shared.get(deps.config);
  if (!models) {
    models = new ProviderEmbeddingModels(deps.config, deps.keyring.encryption);
    shared.set(deps.config, models);
  }
  return models;
}
