import { type LanguageModel, NotFoundError } from "@oratio/core";
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
}

/**
 * The default registry: `local` runs a GGUF file from the model store in-process; other
 * references read the organization's provider row, decrypt its key and build an AI SDK
 * adapter whose every request passes the outbound-request guard.
 */
export class ProviderModelRegistry implements ModelRegistry {
  constructor(
    private readonly config: Config,
    private readonly encryptionKey: Buffer,
  ) {}

  async resolve(scope: OrgScope, refs: string[]): Promise<(ref: string) => LanguageModel> {
    const built = new Map<string, LanguageModel>();
    for (const ref of new Set(refs)) built.set(ref, await this.build(scope, ref));
    return (ref) => {
      const model = built.get(ref);
      if (!model) throw new NotFoundError(`Model ${ref}`);
      return model;
    };
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
      default:
        return createLanguageModel({ type: row.type, model, apiKey, baseUrl, fetch });
    }
  }
}
