/**
 * Cuts streaming LLM text into pieces worth sending to TTS. The first piece of a response
 * may end at a clause boundary (, ; : —) once it is long enough, so the agent starts
 * speaking early; later pieces end at sentence boundaries or line breaks. A boundary is only
 * taken when the character after it is known, so "Dr. Smith", "3.5", "e.g. this" and "U.S."
 * are never split, whatever the token boundaries were.
 */
export interface SentenceChunkerOptions {
  /** Characters the first piece needs before a clause boundary may end it. Default 24. */
  firstClauseMinChars?: number;
  /** Extra abbreviations (without the final period, case-insensitive). */
  abbreviations?: readonly string[];
}

const DEFAULT_ABBREVIATIONS = [
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "mt",
  "ft",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "inc",
  "ltd",
  "co",
  "corp",
  "no",
  "nos",
  "approx",
  "dept",
  "est",
  "ave",
  "blvd",
  "rd",
  "apt",
  "fig",
  "vol",
  "ca",
  "cf",
  "al",
  "a.m",
  "p.m",
  "u.s",
  "u.k",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "mon",
  "tue",
  "wed",
  "thu",
  "fri",
  "sat",
  "sun",
];

const SENTENCE_END = new Set([".", "!", "?", "…", "。", "！", "？"]);
const CLAUSE_END = new Set([",", ";", ":", "—", "，", "；"]);
const CLOSERS = new Set(['"', "'", "”", "’", ")", "]", "}", "»"]);

export class SentenceChunker {
  private readonly firstClauseMinChars: number;
  private readonly abbreviations: Set<string>;
  private buffer = "";
  private emittedAny = false;

  constructor(options: SentenceChunkerOptions = {}) {
    this.firstClauseMinChars = options.firstClauseMinChars ?? 24;
    this.abbreviations = new Set([
      ...DEFAULT_ABBREVIATIONS,
      ...(options.abbreviations ?? []).map((a) => a.toLowerCase().replace(/\.$/, "")),
    ]);
  }

  /** Add streamed text; returns the pieces it completed (often none). */
  push(text: string): string[] {
    this.buffer += text;
    const pieces: string[] = [];
    for (;;) {
      const end = this.findBoundary();
      if (end < 0) break;
      const piece = this.buffer.slice(0, end).trim();
      this.buffer = this.buffer.slice(end);
      if (piece.length > 0) {
        pieces.push(piece);
        this.emittedAny = true;
      }
    }
    return pieces;
  }

  /** End of the response: returns what is left, if anything, and starts a new response. */
  flush(): string | undefined {
    const rest = this.buffer.trim();
    this.reset();
    return rest.length > 0 ? rest : undefined;
  }

  /** Drop buffered text (interruption) and start a new response. */
  reset(): void {
    this.buffer = "";
    this.emittedAny = false;
  }

  /** Index just past the first usable boundary in the buffer, or -1. */
  private findBoundary(): number {
    const text = this.buffer;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === "\n") {
        if (text.slice(0, i).trim().length > 0) return i + 1;
        continue;
      }
      const sentence = SENTENCE_END.has(char);
      const clause =
        !sentence && !this.emittedAny && CLAUSE_END.has(char) && i + 1 >= this.firstClauseMinChars;
      if (!sentence && !clause) continue;
      let end = i + 1;
      while (end < text.length && (SENTENCE_END.has(text[end]!) || CLOSERS.has(text[end]!))) end++;
      // The next character decides: unknown yet → wait; not a space → mid-token ("3.5", "a.m.").
      if (end >= text.length) return -1;
      if (!/\s/.test(text[end]!)) continue;
      if (char === "." && this.endsWithAbbreviation(text, i)) continue;
      return end;
    }
    return -1;
  }

  /** True when the word before the period at `dot` is an abbreviation or an initial ("J."). */
  private endsWithAbbreviation(text: string, dot: number): boolean {
    let start = dot;
    while (start > 0 && /[\p{L}.]/u.test(text[start - 1]!)) start--;
    const word = text.slice(start, dot).toLowerCase();
    if (word.length === 0) return false;
    if (word.length === 1) return true;
    return this.abbreviations.has(word);
  }
}
