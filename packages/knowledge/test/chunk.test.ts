import { describe, expect, it } from "vitest";
import { chunkDocument, type ExtractedDocument, estimateTokens, extractDocument } from "../src/index.ts";
import { fixtureBytes } from "./helpers.ts";

function markdownDocument(markdown: string): ExtractedDocument {
  return { type: "markdown", title: "Guide", markdown, headings: [] };
}

const sentence = (n: number) => `Sentence number ${n} explains one more small fact about the practice. `;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i))
    .join("")
    .trim();

describe("chunkDocument", () => {
  it("keeps chunks between the size bounds and slices the source exactly", () => {
    const sections = Array.from(
      { length: 6 },
      (_, s) => `## Section ${s + 1}\n\n${paragraph(s * 100, 8)}\n\n${paragraph(s * 100 + 50, 8)}`,
    );
    const document = markdownDocument(`# Guide\n\n${sections.join("\n\n")}`);
    const chunks = chunkDocument(document, { minTokens: 300, maxTokens: 600 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.text).toBe(document.markdown.slice(chunk.start, chunk.end));
      expect(chunk.tokenCount).toBeLessThanOrEqual(600);
      expect(chunk.title).toBe("Guide");
    }
    for (const chunk of chunks.slice(0, -1)) expect(chunk.tokenCount).toBeGreaterThanOrEqual(300);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
  });

  it("starts a new chunk at a heading once the current one is big enough", () => {
    const document = markdownDocument(
      `# Guide\n\n## Hours\n\n${paragraph(0, 25)}\n\n## Prices\n\n${paragraph(100, 5)}`,
    );
    const chunks = chunkDocument(document, { minTokens: 300, maxTokens: 600 });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.headingPath).toEqual(["Guide", "Hours"]);
    expect(chunks[1]!.headingPath).toEqual(["Guide", "Prices"]);
    expect(chunks[1]!.text.startsWith("## Prices")).toBe(true);
  });

  it("merges small sections instead of making tiny chunks", () => {
    const document = markdownDocument(
      `# FAQ\n\n## Parking?\n\nFree lot.\n\n## Wheelchair?\n\nStep-free.\n\n## Languages?\n\nSpanish.`,
    );
    const chunks = chunkDocument(document);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(["FAQ"]);
    expect(chunks[0]!.text).toContain("Spanish.");
  });

  it("overlaps consecutive chunks of one long section", () => {
    const document = markdownDocument(
      `## Policy\n\n${Array.from({ length: 12 }, (_, i) => paragraph(i * 10, 6)).join("\n\n")}`,
    );
    const chunks = chunkDocument(document, { minTokens: 200, maxTokens: 400, overlapTokens: 40 });
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
      expect(chunks[i]!.headingPath).toEqual(["Policy"]);
    }
  });

  it("cuts a paragraph longer than the limit at sentence ends", () => {
    const document = markdownDocument(paragraph(0, 80));
    const chunks = chunkDocument(document, { minTokens: 100, maxTokens: 300, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(300);
      expect(chunk.text.trimEnd().endsWith(".")).toBe(true);
    }
  });

  it("gives PDF chunks their page numbers", async () => {
    const document = await extractDocument(fixtureBytes("handbook.pdf"), { fileName: "handbook.pdf" });
    const chunks = chunkDocument(document, { minTokens: 100, maxTokens: 250 });
    expect(chunks[0]!.page).toBe(1);
    expect(chunks.at(-1)!.pageEnd).toBe(3);
    const withStraw = chunks.filter((chunk) => chunk.text.replace(/\s+/g, " ").includes("through a straw"));
    expect(withStraw.length).toBeGreaterThan(0);
    for (const chunk of withStraw) {
      expect(chunk.page).toBeLessThanOrEqual(2);
      expect(chunk.pageEnd).toBeGreaterThanOrEqual(2);
    }
  });

  it("stores the URL on every chunk of a web page", async () => {
    const document = await extractDocument(fixtureBytes("site/emergencies.html"));
    const chunks = chunkDocument(document, { url: "https://example.test/emergencies.html" });
    expect(chunks.every((chunk) => chunk.url === "https://example.test/emergencies.html")).toBe(true);
    expect(chunks[0]!.headingPath[0]).toBe("Dental emergencies");
  });

  it("returns no chunks for an empty document", () => {
    expect(chunkDocument(markdownDocument(""))).toEqual([]);
  });
});

describe("estimateTokens", () => {
  it("counts about four characters per token", () => {
    expect(estimateTokens("a".repeat(400))).toBe(100);
    expect(estimateTokens("")).toBe(0);
  });
});
