import { type LanguageModel, NotFoundError, UnprocessableError } from "@oratio/core";
import { type OrgScope, providers } from "@oratio/db";
import { createGuardedFetch } from "@oratio/net";
import { createLanguageModel } from "@oratio/providers";
import { eq } from "drizzle-orm";
import { openSecret } from "../crypto/secret-box.ts";
import type { Config } from "../env.ts";

/** How agent configurations name a model: the provider id (or `local`) and the model id. */
export function modelRef(providerId: string, model: string): string {
  return `${providerId}|${model}`;
}

export function parseModelRef(ref: string): { providerId: string; model: string } {
  const at = ref.indexOf("|");
  return { providerId: ref.slice(0, at), model: ref.slice(at + 1) };
}

/** Turns model references into live models for one organization. */
export interface ModelRegistry {
  resolve(scope: OrgScope, refs: string[]): Promise<(ref: string) => LanguageModel>;
  /** Drops anything held for this provider (it was deleted). */
  forget?(orgId: string, providerId: string): void;
}

/** How long a built model is reused before its provider row is read again. */
const MODEL_CACHE_TTL_MS = 60_000;
const MODEL_CACHE_LIMIT = 1_000;

/**
 * The default registry: `local` runs a GGUF file from the model store in-process; other
 * references read the organization's provider row, decrypt its key and build an AI SDK
 * adapter whose every request passes the outbound-request guard.
 */
export class ProviderModelRegistry implements ModelRegistry {
  /**
   * Built models by organization and reference: every turn resolves its agents' model
   * chain, and reading the provider row, decrypting its key and building an adapter each
   * time would cost more than the rest of the turn's bookkeeping.
   */
  private readonly cache = new Map<string, { model: LanguageModel; expiresAt: number }>();

  constructor(
    private readonly config: Config,
    private readonly encryptionKey: Buffer,
  ) {}

  async resolve(scope: OrgScope, refs: string[]): Promise<(ref: string) => LanguageModel> {
    const built = new Map<string, LanguageModel>();
    for (const ref of new Set(refs)) built.set(ref, await this.cached(scope, ref));
    return (ref) => {
      const model = built.get(ref);
      if (!model) throw new NotFoundError(`Model ${ref}`);
      return model;
    };
  }

  forget(orgId: string, providerId: string): void {
    const prefix = `${orgId}:${modelRef(providerId, "")}`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  private async cached(scope: OrgScope, ref: string): Promise<LanguageModel> {
    const key = `${scope.orgId}:${ref}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return hit.model;
    const model = await this.build(scope, ref);
    if (this.cache.size >= MODEL_CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { model, expiresAt: now + MODEL_CACHE_TTL_MS });
    return model;
  }

  private async build(scope: OrgScope, ref: string): Promise<LanguageModel> {
    const { providerId, model } = parseModelRef(ref);
    if (providerId === "local") {
      return createLanguageModel({ type: "local", model, modelsDir: this.config.modelsDir, threads: 1 });
    }
    const [row] = await scope.db
      .select()
      .from(providers)
      .where(scope.where(providers, eq(providers.id, providerId)));
    if (!row) throw new NotFoundError("Provider");
    const apiKey = row.apiKeyEncrypted ? openSecret(this.encryptionKey, row.apiKeyEncrypted) : undefined;
    // undici's fetch types differ from the DOM ones only nominally.
    const fetch = createGuardedFetch({
      allowList: this.config.fetchAllow,
    }) as unknown as typeof globalThis.fetch;
    const baseUrl = row.baseUrl ?? undefined;
    switch (row.type) {
      case "local":
        return createLanguageModel({ type: "local", model, modelsDir: this.config.modelsDir, threads: 1 });
      case "openai-compatible":
        return createLanguageModel({
          type: "openai-compatible",
          model,
          baseUrl: baseUrl!,
          apiKey,
          name: row.name,
          fetch,
        });
      case "bedrock": {
        const options = row.options as { region?: string };
        return createLanguageModel({
          type: "bedrock",
          model,
          apiKey,
          baseUrl,
          region: options.region,
          fetch,
        });
      }
      case "deepgram":
      case "elevenlabs":
      case "cartesia":
        throw new UnprocessableError(
          `The provider "${row.name}" (${row.type}) offers speech only; an agent's model needs a language-model provider.`,
          [{ path: "body.model.providerId", message: "Speech-only provider" }],
        );
      default:
        return createLanguageModel({ type: row.type, model, apiKey, baseUrl, fetch });
    }
  }
}
