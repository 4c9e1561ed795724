import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type ExtractedDocument, extractDocument } from "../src/index.ts";
import { BUSINESS_FIXTURE_DIR } from "../src/testing/index.ts";

interface EvalQuestion {
  id: string;
  question: string;
  expected: { source: string; section?: string }[];
  fact: string;
}

const evaluation = JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")) as {
  questions: EvalQuestion[];
};

/** A source is a site path (`/faq.html`, `/services/`) or a file name next to eval.json. */
function sourceFile(source: string): string {
  if (!source.startsWith("/")) return path.join(BUSINESS_FIXTURE_DIR, source);
  return path.join(BUSINESS_FIXTURE_DIR, "site", source.endsWith("/") ? `${source}index.html` : source);
}

const cache = new Map<string, Promise<ExtractedDocument>>();
function load(source: string): Promise<ExtractedDocument> {
  if (!cache.has(source)) {
    const file = sourceFile(source);
    cache.set(source, extractDocument(new Uint8Array(readFileSync(file)), { fileName: path.basename(file) }));
  }
  return cache.get(source)!;
}

const normalise = (text: string) => text.replace(/\s+/g, " ").replace(/\\/g, "");

describe("fixture business evaluation set", () => {
  it("has at least 45 questions with unique ids", () => {
    expect(evaluation.questions.length).toBeGreaterThanOrEqual(45);
    expect(new Set(evaluation.questions.map((question) => question.id)).size).toBe(
      evaluation.questions.length,
    );
  });

  it.each(evaluation.questions.map((question) => [question.id, question] as const))(
    "%s: every expected source and section exists and the first source states the fact",
    async (_id, question) => {
      for (const expected of question.expected) {
        const document = await load(expected.source);
        if (!expected.section) continue;
        const headings = document.headings.map((heading) => heading.text);
        // PDFs carry no heading markup: their section titles are plain lines of text.
        if (document.type === "pdf") expect(document.markdown).toContain(expected.section);
        else expect(headings, `${expected.source} lacks "${expected.section}"`).toContain(expected.section);
      }
      const first = await load(question.expected[0]!.source);
      expect(normalise(first.markdown)).toContain(question.fact);
    },
  );

  it("does not quote its questions verbatim in the sources", async () => {
    const sources = [
      ...new Set(evaluation.questions.flatMap((question) => question.expected.map((e) => e.source))),
    ];
    const texts = await Promise.all(
      sources.map(async (source) => normalise((await load(source)).markdown).toLowerCase()),
    );
    for (const question of evaluation.questions) {
      expect(texts.some((text) => text.includes(question.question.toLowerCase()))).toBe(false);
    }
  });
});
