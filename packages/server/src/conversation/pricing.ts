/**
 * Prices in US dollars per million tokens (input, output), for estimating cost per turn.
 * Local models cost nothing; unknown models are priced at zero and reported as such.
 * `ORATIO_MODEL_PRICES` (JSON `{"model-id": [input, output]}`) adds or overrides entries.
 */
export const DEFAULT_MODEL_PRICES: Record<string, [number, number]> = {
  "gpt-4o": [2.5, 10],
  "gpt-4o-mini": [0.15, 0.6],
  "gpt-4.1": [2, 8],
  "gpt-4.1-mini": [0.4, 1.6],
  "gpt-4.1-nano": [0.1, 0.4],
  "claude-3-5-haiku-latest": [0.8, 4],
  "claude-sonnet-4-0": [3, 15],
  "gemini-2.0-flash": [0.1, 0.4],
  "gemini-2.5-flash": [0.3, 2.5],
};

export function estimateCostUsd(
  prices: Record<string, [number, number]>,
  model: string,
  usage: { inputTokens: number; outputTokens: number },
): number {
  const price = prices[model];
  if (!price) return 0;
  return (usage.inputTokens * price[0] + usage.outputTokens * price[1]) / 1_000_000;
}
