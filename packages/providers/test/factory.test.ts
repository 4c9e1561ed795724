import { ValidationError } from "@oratio/core";
import { describe, expect, it } from "vitest";
import { createLanguageModel, type LanguageModelConfig } from "../src/factory.ts";

describe("createLanguageModel", () => {
  it("builds each provider type without connecting", () => {
    const configs: LanguageModelConfig[] = [
      { type: "openai", model: "gpt-4o-mini", apiKey: "k" },
      { type: "anthropic", model: "claude-3-5-haiku-latest", apiKey: "k" },
      { type: "google", model: "gemini-2.0-flash", apiKey: "k" },
      {
        type: "bedrock",
        model: "anthropic.claude-3-haiku",
        region: "eu-west-1",
        accessKeyId: "a",
        secretAccessKey: "s",
      },
      { type: "openai-compatible", model: "llama3.2", baseUrl: "http://127.0.0.1:11434/v1", name: "ollama" },
      { type: "local", model: "llm/x.gguf" },
    ];
    expect(configs.map((c) => createLanguageModel(c)).map((m) => `${m.provider}:${m.modelId}`)).toEqual([
      "openai:gpt-4o-mini",
      "anthropic:claude-3-5-haiku-latest",
      "google:gemini-2.0-flash",
      "bedrock:anthropic.claude-3-haiku",
      "ollama:llama3.2",
      "local:llm/x.gguf",
    ]);
  });

  it("rejects unknown types and bad base URLs with a validation error", () => {
    expect(() => createLanguageModel({ type: "nope" } as never)).toThrow(ValidationError);
    expect(() =>
      createLanguageModel({ type: "openai-compatible", model: "m", baseUrl: "not a url" }),
    ).toThrow(ValidationError);
  });
});
