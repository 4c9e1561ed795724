import { createAmazonBedrock } from "@ai-sdk/amazon-bedrock";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { type LanguageModel, ValidationError } from "@oratio/core";
import { AiSdkLanguageModel } from "./ai-sdk/ai-sdk-model.ts";
import { LocalLlamaModel, type LocalModelOptions } from "./local/local-model.ts";

interface CommonConfig {
  /** Provider-side model name, e.g. `gpt-4o-mini`, `claude-3-5-haiku-latest`, `llama3.2`. */
  model: string;
  headers?: Record<string, string>;
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export type LanguageModelConfig =
  | (CommonConfig & { type: "openai"; apiKey?: string; baseUrl?: string; api?: "chat" | "responses" })
  | (CommonConfig & { type: "anthropic"; apiKey?: string; baseUrl?: string })
  | (CommonConfig & { type: "google"; apiKey?: string; baseUrl?: string })
  | (CommonConfig & {
      type: "bedrock";
      region?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      sessionToken?: string;
      apiKey?: string;
      baseUrl?: string;
    })
  | (CommonConfig & {
      /** Ollama, vLLM, LM Studio, llama.cpp server, Groq, OpenRouter… */
      type: "openai-compatible";
      baseUrl: string;
      apiKey?: string;
      /** Label used in errors and events; defaults to the base URL's host. */
      name?: string;
    })
  | ({ type: "local" } & LocalModelOptions);

/**
 * Builds a core LanguageModel from a stored provider configuration. Nothing connects until
 * the first `stream()` call, so building models for every agent at start-up is cheap.
 */
export function createLanguageModel(config: LanguageModelConfig): LanguageModel {
  switch (config.type) {
    case "openai": {
      const provider = createOpenAI({
        apiKey: config.apiKey,
        baseURL: config.baseUrl,
        headers: config.headers,
        fetch: config.fetch,
      });
      // Chat Completions by default: the wire format every compatible server also speaks.
      return wrap(
        "openai",
        config.api === "responses" ? provider.responses(config.model) : provider.chat(config.model),
      );
    }
    case "anthropic":
      return wrap(
        "anthropic",
        createAnthropic({
          apiKey: config.apiKey,
          baseURL: config.baseUrl,
          headers: config.headers,
          fetch: config.fetch,
        })(config.model),
      );
    case "google":
      return wrap(
        "google",
        createGoogleGenerativeAI({
          apiKey: config.apiKey,
          baseURL: config.baseUrl,
          headers: config.headers,
          fetch: config.fetch,
        })(config.model),
      );
    case "bedrock":
      return wrap(
        "bedrock",
        createAmazonBedrock({
          region: config.region,
          accessKeyId: config.accessKeyId,
          secretAccessKey: config.secretAccessKey,
          sessionToken: config.sessionToken,
          apiKey: config.apiKey,
          baseURL: config.baseUrl,
          headers: config.headers,
          fetch: config.fetch,
        })(config.model) as unknown as LanguageModelV3,
      );
    case "openai-compatible": {
      const name = config.name ?? hostOf(config.baseUrl);
      const provider = createOpenAICompatible({
        name,
        baseURL: config.baseUrl,
        apiKey: config.apiKey,
        headers: config.headers,
        fetch: config.fetch,
        includeUsage: true,
        supportsStructuredOutputs: true,
      });
      return wrap(name, provider.chatModel(config.model));
    }
    case "local":
      return new LocalLlamaModel(config);
    default:
      throw new ValidationError(`Unknown model provider type "${(config as { type: unknown }).type}".`, [
        {
          path: "type",
          message: "must be one of openai, anthropic, google, bedrock, openai-compatible, local",
        },
      ]);
  }
}

function wrap(provider: string, model: LanguageModelV3): LanguageModel {
  return new AiSdkLanguageModel(provider, model);
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    throw new ValidationError(`"${baseUrl}" is not a valid base URL.`, [
      { path: "baseUrl", message: "must be a URL" },
    ]);
  }
}
