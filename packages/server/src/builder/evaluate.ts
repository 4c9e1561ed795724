import type { Expectations } from "./schemas.ts";

/** What happened in one test conversation, as the evaluator needs it. */
export interface TranscriptEntry {
  kind:
    | "user"
    | "assistant"
    | "tool-call"
    | "handoff"
    | "handoff-refused"
    | "needs-human"
    | "citation"
    | "error";
  agent?: string;
  text?: string;
  name?: string;
  to?: string;
  detail?: string;
}

export interface ExpectationResult {
  expectation: string;
  passed: boolean;
  detail: string;
}

function quote(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `"${flat.slice(0, max)}…"` : `"${flat}"`;
}

/**
 * Judges a transcript against a test's expectations; every verdict says why, so a failed
 * run reads as a report, not a boolean. `resolveAgent` turns an id or slug into the slug
 * handoff events carry, and explains why a target could not be reached.
 */
export function evaluate(
  expectations: Expectations,
  transcript: TranscriptEntry[],
  resolveAgent: (ref: string) => { slug: string; note?: string },
): ExpectationResult[] {
  const replies = transcript.filter((e) => e.kind === "assistant").map((e) => e.text ?? "");
  const said = replies.join("\n").toLowerCase();
  const results: ExpectationResult[] = [];
  for (const phrase of expectations.mustMention ?? []) {
    const passed = said.includes(phrase.toLowerCase());
    results.push({
      expectation: `mustMention "${phrase}"`,
      passed,
      detail: passed
        ? "Mentioned."
        : `Never said; replies were ${replies.map((r) => quote(r)).join(" / ") || "empty"}.`,
    });
  }
  for (const phrase of expectations.mustNotMention ?? []) {
    const hit = replies.find((r) => r.toLowerCase().includes(phrase.toLowerCase()));
    results.push({
      expectation: `mustNotMention "${phrase}"`,
      passed: !hit,
      detail: hit ? `Said in ${quote(hit)}.` : "Not mentioned.",
    });
  }
  if (expectations.mustCite !== undefined) {
    const cited = transcript.filter((e) => e.kind === "citation");
    const passed = expectations.mustCite ? cited.length > 0 : cited.length === 0;
    results.push({
      expectation: expectations.mustCite ? "mustCite" : "must not cite",
      passed,
      detail: cited.length
        ? `Cited ${cited.map((c) => quote(c.text ?? "", 60)).join(", ")}.`
        : "No knowledge was cited.",
    });
  }
  for (const tool of expectations.mustCallTool ?? []) {
    const called = transcript.filter((e) => e.kind === "tool-call").map((e) => e.name);
    const passed = called.includes(tool);
    results.push({
      expectation: `mustCallTool ${tool}`,
      passed,
      detail: passed ? "Called." : `Not called; tools called: ${called.join(", ") || "none"}.`,
    });
  }
  if (expectations.mustHandOffTo) {
    const target = resolveAgent(expectations.mustHandOffTo);
    const handoffs = transcript.filter((e) => e.kind === "handoff");
    const passed = handoffs.some((h) => h.to === target.slug);
    const refused = transcript.find((e) => e.kind === "handoff-refused" && e.to === target.slug);
    results.push({
      expectation: `mustHandOffTo ${target.slug}`,
      passed,
      detail: passed
        ? "Handed off."
        : [
            handoffs.length
              ? `Handed off to ${handoffs.map((h) => h.to).join(", ")} instead.`
              : "No handoff happened.",
            refused ? `The handoff was refused: ${refused.detail}` : "",
            target.note ?? "",
          ]
            .filter(Boolean)
            .join(" "),
    });
  }
  if (expectations.mustRequestHuman !== undefined) {
    const asked = transcript.filter((e) => e.kind === "needs-human");
    const passed = expectations.mustRequestHuman ? asked.length > 0 : asked.length === 0;
    results.push({
      expectation: expectations.mustRequestHuman ? "mustRequestHuman" : "must not request a human",
      passed,
      detail: asked.length
        ? `A human was requested (${asked.map((a) => a.detail).join("; ")}).`
        : `No human was requested; the agent replied ${replies.map((r) => quote(r)).join(" / ") || "nothing"}.`,
    });
  }
  return results;
}
