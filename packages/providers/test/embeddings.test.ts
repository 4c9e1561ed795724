import { existsSync } from "node:fs";
import path from "node:path";
import { isAbortError, ProviderError } from "@oratio/core";
import { cosineSimilarity, embedAll } from "@oratio/core/embeddings";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createEmbeddingModel, disposeLocalEmbeddingContexts } from "../src/embeddings/index.ts";
import { type RecordedRequest, startServer } from "./http-fixture.ts";

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Deterministic vectors so assertions can name them: one per input, `dims` long. */
function vectorFor(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => ((text.length + i) % 7) - 3);
}

/** An `/v1/embeddings` endpoint answering the way OpenAI does. */
async function embeddingsServer(
  dims = 4,
  answer?: (req: RecordedRequest) => { status: number; body: unknown } | undefined,
) {
  const server = await startServer((req, res) => {
    const custom = answer?.(req);
    if (custom) {
      res.writeHead(custom.status, { "content-type": "application/json" });
      res.end(JSON.stringify(custom.body));
      return;
    }
    const body = JSON.parse(req.body) as { model: string; input: string[] };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        object: "list",
        data: body.input.map((text, index) => ({
          object: "embedding",
          index,
          embedding: vectorFor(text, dims),
        })),
        model: body.model,
        usage: { prompt_tokens: body.input.length * 3, total_tokens: body.input.length * 3 },
      }),
    );
  });
  servers.push(server);
  return server;
}

describe("OpenAI embeddings over the wire", () => {
  it("posts the texts to /v1/embeddings with the key and returns one vector per text in order", async () => {
    const server = await embeddingsServer(4);
    const model = createEmbeddingModel({
      type: "openai",
      model: "text-embedding-3-small",
      apiKey: "sk-test",
      baseUrl: `${server.url}/v1`,
    });
    expect(model.id).toBe("openai:text-embedding-3-small");
    const vectors = await model.embed(["hello", "good morning"]);
    expect(vectors).toEqual([vectorFor("hello", 4), vectorFor("good morning", 4)]);
    expect(model.dimensions).toBe(4);
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/embeddings");
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(JSON.parse(request!.body)).toMatchObject({
      model: "text-embedding-3-small",
      input: ["hello", "good morning"],
      encoding_format: "float",
    });
  });

  it("asks for shorter vectors when dimensions are configured", async () => {
    const server = await embeddingsServer(3);
    const model = createEmbeddingModel({
      type: "openai",
      model: "text-embedding-3-large",
      apiKey: "sk-test",
      baseUrl: `${server.url}/v1`,
      dimensions: 3,
    });
    expect(model.dimensions).toBe(3);
    await model.embed(["x"]);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ dimensions: 3 });
  });

  it("embedAll splits large inputs into batches of maxBatchSize requests", async () => {
    const server = await embeddingsServer(2);
    const model = createEmbeddingModel({
      type: "openai-compatible",
      name: "ollama",
      model: "nomic-embed-text",
      baseUrl: `${server.url}/v1`,
      maxBatchSize: 3,
    });
    const texts = Array.from({ length: 7 }, (_, i) => `text ${"x".repeat(i)}`);
    const vectors = await embedAll(model, texts);
    expect(vectors).toEqual(texts.map((t) => vectorFor(t, 2)));
    expect(server.requests.map((r) => (JSON.parse(r.body) as { input: string[] }).input.length)).toEqual([
      3, 3, 1,
    ]);
    expect(model.id).toBe("ollama:nomic-embed-text");
  });

  it("reports rate limits as retryable and bad requests as not", async () => {
    const server = await embeddingsServer(2, (req) => {
      const input = (JSON.parse(req.body) as { input: string[] }).input;
      return input[0] === "busy"
        ? { status: 429, body: { error: { message: "Rate limit reached", type: "requests" } } }
        : { status: 400, body: { error: { message: "model not found", type: "invalid_request_error" } } };
    });
    const model = createEmbeddingModel({
      type: "openai",
      model: "m",
      apiKey: "k",
      baseUrl: `${server.url}/v1`,
    });
    const busy = await model.embed(["busy"]).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ProviderError);
    expect((busy as ProviderError).retryable).toBe(true);
    expect((busy as ProviderError).upstreamStatus).toBe(429);
    const bad = await model.embed(["other"]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProviderError);
    expect((bad as ProviderError).retryable).toBe(false);
    expect((bad as ProviderError).detail).toContain("model not found");
  });

  it("refuses an answer with the wrong number or size of vectors, without retrying", async () => {
    const server = await embeddingsServer(2, (req) => {
      const input = (JSON.parse(req.body) as { input: string[] }).input;
      const data =
        input[0] === "short"
          ? [{ object: "embedding", index: 0, embedding: [1, 2] }]
          : input.map((_, index) => ({ object: "embedding", index, embedding: index === 0 ? [1, 2] : [1] }));
      return {
        status: 200,
        body: { object: "list", data, model: "m", usage: { prompt_tokens: 1, total_tokens: 1 } },
      };
    });
    const model = createEmbeddingModel({
      type: "openai",
      model: "m",
      apiKey: "k",
      baseUrl: `${server.url}/v1`,
    });
    const short = await model.embed(["short", "two"]).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(ProviderError);
    expect((short as ProviderError).detail).toContain("1 vectors for 2 texts");
    expect((short as ProviderError).retryable).toBe(false);
    const ragged = await model.embed(["a", "b"]).catch((e: unknown) => e);
    expect((ragged as ProviderError).detail).toContain("expected 2");
  });

  it("cancels a request in flight", async () => {
    const server = await startServer(() => new Promise(() => {}));
    servers.push(server);
    const model = createEmbeddingModel({
      type: "openai",
      model: "m",
      apiKey: "k",
      baseUrl: `${server.url}/v1`,
    });
    const controller = new AbortController();
    const pending = model.embed(["slow"], { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });
});

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const MODELS_DIR = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");
const TINY = "llm/stories260K.gguf";
const haveTiny = existsSync(path.join(MODELS_DIR, TINY));
if (!haveTiny) {
  console.warn(
    `Skipping local embedding tests: ${path.join(MODELS_DIR, TINY)} is absent (set ORATIO_MODELS_DIR).`,
  );
}

describe.skipIf(!haveTiny)("local embeddings (node-llama-cpp)", () => {
  afterAll(disposeLocalEmbeddingContexts);

  it("embeds texts with a GGUF from the model store: fixed size, deterministic, text-dependent", async () => {
    const model = createEmbeddingModel({ type: "local", model: TINY, modelsDir: MODELS_DIR, threads: 1 });
    expect(model.id).toBe(`local:${TINY}`);
    const texts = [
      "Once upon a time there was a cat.",
      "The stock market fell sharply.",
      "Once upon a time there was a cat.",
    ];
    const vectors = await embedAll(model, texts);
    expect(model.dimensions).toBe(64);
    expect(vectors.map((v) => v.length)).toEqual([64, 64, 64]);
    expect(vectors[2]).toEqual(vectors[0]);
    expect(cosineSimilarity(vectors[0]!, vectors[1]!)).toBeLessThan(0.999);
  });

  it("cuts texts longer than its window instead of failing", async () => {
    const model = createEmbeddingModel({
      type: "local",
      model: TINY,
      modelsDir: MODELS_DIR,
      contextSize: 64,
    });
    const [vector] = await model.embed(["word ".repeat(500)]);
    expect(vector).toHaveLength(64);
  });

  it("reports a missing model file as a provider error that is not retried", async () => {
    const model = createEmbeddingModel({ type: "local", model: "llm/absent.gguf", modelsDir: MODELS_DIR });
    const error = await model.embed(["x"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
  });
});
