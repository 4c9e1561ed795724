import { describe, expect, it } from "vitest";
import { SentenceChunker } from "../src/index.ts";

/** Feed text in small uneven pieces, as an LLM stream would. */
function stream(chunker: SentenceChunker, text: string, size = 3): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(...chunker.push(text.slice(i, i + size)));
  const rest = chunker.flush();
  if (rest) pieces.push(rest);
  return pieces;
}

describe("SentenceChunker", () => {
  it("releases the first clause early, then whole sentences", () => {
    const text =
      "Thanks for calling the clinic today, I can help with that. Your appointment is on Monday, at nine. See you then!";
    expect(stream(new SentenceChunker(), text)).toEqual([
      "Thanks for calling the clinic today,",
      "I can help with that.",
      "Your appointment is on Monday, at nine.",
      "See you then!",
    ]);
  });

  it("does not split abbreviations, initials, decimals or dotted acronyms", () => {
    const text = "Dr. Smith sees J. Doe at 3.5 p.m. in the U.S. office, e.g. room 4. Bring your card.";
    expect(stream(new SentenceChunker({ firstClauseMinChars: 1000 }), text, 2)).toEqual([
      "Dr. Smith sees J. Doe at 3.5 p.m. in the U.S. office, e.g. room 4.",
      "Bring your card.",
    ]);
  });

  it("waits for the character after a period before deciding", () => {
    const chunker = new SentenceChunker();
    expect(chunker.push("The fee is 3.")).toEqual([]);
    expect(chunker.push("5 dollars. Anything")).toEqual(["The fee is 3.5 dollars."]);
    expect(chunker.flush()).toBe("Anything");
  });

  it("treats line breaks as boundaries and keeps closing quotes with their sentence", () => {
    expect(stream(new SentenceChunker(), 'She said "yes." Then:\n- one\n- two')).toEqual([
      'She said "yes."',
      "Then:",
      "- one",
      "- two",
    ]);
  });

  it("starts over after reset", () => {
    const chunker = new SentenceChunker({ firstClauseMinChars: 5 });
    chunker.push("Half a sentence");
    chunker.reset();
    expect(chunker.push("Hello there, friend. ")).toEqual(["Hello there,", "friend."]);
  });
});
