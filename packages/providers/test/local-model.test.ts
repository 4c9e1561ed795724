import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isAbortError, type ModelStreamPart, ProviderError } from "@oratio/core";
import { afterAll, describe, expect, it } from "vitest";
import { createLanguageModel } from "../src/factory.ts";
import { unloadLlamaModels } from "../src/local/llama-runtime.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");
const file = "llm/stories260K.gguf";
const present = existsSync(path.join(modelsDir, file));
if (!present)
  console.warn(
    `Skipping local model tests: ${path.join(modelsDir, file)} is absent (set ORATIO_MODELS_DIR).`,
  );

afterAll(async () => {
  await unloadLlamaModels();
});

describe.skipIf(!present)("local provider on node-llama-cpp (stories260K, plain completion)", () => {
  const model = createLanguageModel({ type: "local", model: file, modelsDir, threads: 1, seed: 7 });

  it("streams text deltas and finishes with token usage", async () => {
    const parts: ModelStreamPart[] = [];
    for await (const part of model.stream({
      messages: [{ role: "user", content: "Once upon a time" }],
      maxTokens: 24,
    })) {
      parts.push(part);
    }
    const deltas = parts.filter((p) => p.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(1);
    const finish = parts.at(-1)!;
    expect(finish.type).toBe("finish");
    if (finish.type === "finish") {
      expect(finish.reason).toBe("length");
      expect(finish.usage.inputTokens).toBeGreaterThan(0);
      expect(finish.usage.outputTokens).toBeGreaterThan(0);
    }
    expect(model.provider).toBe("local");
  });

  it("stops generating when the signal aborts", async () => {
    const controller = new AbortController();
    let deltas = 0;
    const error = await (async () => {
      for await (const part of model.stream(
        { messages: [{ role: "user", content: "Tom had a dog" }], maxTokens: 400 },
        { signal: controller.signal },
      )) {
        if (part.type === "text-delta" && ++deltas === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(deltas).toBe(3);
  });

  it("constrains output to a JSON schema", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" }, happy: { type: "boolean" } },
      required: ["name", "age", "happy"],
      additionalProperties: false,
    };
    let text = "";
    for await (const part of model.stream({
      messages: [{ role: "user", content: "Lily" }],
      maxTokens: 120,
      responseFormat: { type: "json", schema },
    })) {
      if (part.type === "text-delta") text += part.text;
    }
    const value = JSON.parse(text);
    expect(Object.keys(value).sort()).toEqual(["age", "happy", "name"]);
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.age)).toBe(true);
    expect(typeof value.happy).toBe("boolean");
  });

  it("also runs through the chat path (LlamaChat with node-llama-cpp's generic wrapper)", async () => {
    const chat = createLanguageModel({
      type: "local",
      model: file,
      modelsDir,
      threads: 1,
      mode: "chat",
      seed: 7,
    });
    const parts: ModelStreamPart[] = [];
    for await (const part of chat.stream({
      system: "Tell a story.",
      messages: [{ role: "user", content: "A cat" }],
      // Offered functions go through node-llama-cpp's function-calling syntax; this tiny
      // model will not call them, but the request must still be accepted.
      tools: [
        {
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      ],
      maxTokens: 16,
    })) {
      parts.push(part);
    }
    expect(parts.some((p) => p.type === "text-delta")).toBe(true);
    expect(parts.at(-1)).toMatchObject({ type: "finish", reason: "length" });
  });

  it("reports a missing model file as a provider error", async () => {
    const missing = createLanguageModel({ type: "local", model: "llm/absent.gguf", modelsDir });
    const error = await (async () => {
      for await (const _ of missing.stream({ messages: [{ role: "user", content: "x" }] })) {
        // no output expected
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
  });
});
