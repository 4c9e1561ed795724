import type { HumanHandoffRules } from "./types.ts";

// Phrases callers use to ask for a person; deliberately narrow to avoid false alarms on
// sentences like "my human resources department".
const ASKS_FOR_HUMAN =
  /\b(speak|talk|chat)\s+(to|with)\s+(a|an|some|the)?\s*(real\s+)?(human|person|agent|representative|operator|someone)\b|\b(real|live)\s+(human|person|agent)\b|\b(human|representative|operator),?\s+please\b/i;

export function asksForHuman(text: string): boolean {
  return ASKS_FOR_HUMAN.test(text);
}

export function matchedKeyword(text: string, rules: HumanHandoffRules | undefined): string | undefined {
  const lower = text.toLowerCase();
  return rules?.keywords?.find((keyword) => keyword.trim() !== "" && lower.includes(keyword.toLowerCase()));
}
