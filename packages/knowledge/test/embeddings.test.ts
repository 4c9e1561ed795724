import { ProviderError } from "@oratio/core";
import { cosineSimilarity, type EmbeddingModel, embedAll } from "@oratio/core/embeddings";
import { describe, expect, it } from "vitest";

/** A deterministic bag-of-letters model: enough to exercise the contract's batching and checks. */
function letterModel(options: {
  maxBatchSize: number;
  dimensions?: number;
  brokenAt?: number;
}): EmbeddingModel & {
  calls: number[];
} {
  const calls: number[] = [];
  return {
    specificationVersion: "v1",
    id: "test:letters",
    dimensions: options.dimensions ?? 26,
    maxBatchSize: options.maxBatchSize,
    calls,
    async embed(texts, embedOptions) {
      embedOptions?.signal?.throwIfAborted();
      calls.push(texts.length);
      return texts.map((text, index) => {
        const vector = new Array<number>(26).fill(0);
        for (const char of text.toLowerCase()) {
          const code = char.charCodeAt(0) - 97;
          if (code >= 0 && code < 26) vector[code]! += 1;
        }
        return calls.length === options.brokenAt && index === 0 ? vector.slice(1) : vector;
      });
    },
  };
}

describe("embedAll", () => {
  it("embeds in batches of the model's size and keeps input order", async () => {
    const model = letterModel({ maxBatchSize: 2 });
    const vectors = await embedAll(model, ["aaa", "b", "cc", "d", "e"]);
    expect(model.calls).toEqual([2, 2, 1]);
    expect(vectors.map((vector) => vector.findIndex((value) => value > 0))).toEqual([0, 1, 2, 3, 4]);
    expect(vectors[0]![0]).toBe(3);
  });

  it("rejects a vector of the wrong length", async () => {
    const model = letterModel({ maxBatchSize: 2, brokenAt: 2 });
    await expect(embedAll(model, ["a", "b", "c"])).rejects.toBeInstanceOf(ProviderError);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      embedAll(letterModel({ maxBatchSize: 1 }), ["a"], { signal: controller.signal }),
    ).rejects.toThrow("stop");
  });
});

describe("cosineSimilarity", () => {
  it("is 1 for the same direction, 0 for orthogonal or zero vectors", () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});
