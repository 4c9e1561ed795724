import { describe, expect, it } from "vitest";
import { evaluateRetrieval } from "../../../bench/retrieval-eval.ts";

describe("retrieval quality on the fixture business", () => {
  it("finds the expected source in the top five for at least 90% of customer questions", async () => {
    const result = await evaluateRetrieval();
    console.log(
      `retrieval eval: ${result.questions} questions, recall@1 ${result.recallAt1.toFixed(3)}, recall@5 ${result.recallAt5.toFixed(3)}, MRR ${result.mrr.toFixed(3)}`,
    );
    expect(result.questions).toBeGreaterThanOrEqual(40);
    expect(result.recallAt5).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
