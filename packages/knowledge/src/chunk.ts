import type { ExtractedDocument } from "./types.ts";

export interface ChunkOptions {
  /** A chunk is closed at a new heading once it has this many tokens. Default 300. */
  minTokens?: number;
  /** No chunk grows past this many tokens (unless one word is longer). Default 600. */
  maxTokens?: number;
  /** Tokens repeated from the end of a chunk at the start of the next one in the same section. Default 60. */
  overlapTokens?: number;
  /** Source URL stored on every chunk (web pages). */
  url?: string;
}

export interface Chunk {
  /** Position of the chunk in its document, from 0. */
  index: number;
  /** Exactly `document.markdown.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  tokenCount: number;
  /** Document title, repeated so a chunk can be shown or cited on its own. */
  title: string;
  url?: string;
  /** Headings in force where the chunk starts, outermost first, e.g. ["Prices", "Implants"]. */
  headingPath: string[];
  /** First and last page the chunk touches (paged documents only). */
  page?: number;
  pageEnd?: number;
}

interface Block {
  start: number;
  end: number;
  tokens: number;
  heading?: { level: number; text: string };
  path: string[];
}

/**
 * A cheap, model-independent token estimate: about four characters per token for English
 * text, which is what common BPE tokenisers average. Good enough to size chunks.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Cuts a document into heading-aware chunks: sections start new chunks once the current
 * chunk is big enough, small sections are merged, long sections are cut between paragraphs
 * (or sentences, for a long paragraph) with a little overlap so no fact loses its context.
 */
export function chunkDocument(document: ExtractedDocument, options: ChunkOptions = {}): Chunk[] {
  const minTokens = options.minTokens ?? 300;
  const maxTokens = Math.max(options.maxTokens ?? 600, minTokens);
  const overlapTokens = Math.min(options.overlapTokens ?? 60, Math.floor(maxTokens / 4));
  const source = document.markdown;
  const blocks = splitOversized(toBlocks(source), source, maxTokens);

  const spans: { start: number; end: number; path: string[] }[] = [];
  let current: Block[] = [];
  let carryStart: number | undefined;
  const size = () =>
    current.length ? estimateTokens(source.slice(carryStart ?? current[0]!.start, current.at(-1)!.end)) : 0;
  const flush = (withOverlap: boolean) => {
    // A heading belongs with the text under it, never at the end of a chunk.
    const trailing: Block[] = [];
    while (current.length > 1 && current.at(-1)!.heading) trailing.unshift(current.pop()!);
    if (current.length) {
      const start = carryStart ?? current[0]!.start;
      const end = current.at(-1)!.end;
      spans.push({ start, end, path: enclosingPath(current) });
      const last = current.at(-1)!;
      carryStart =
        withOverlap && !trailing.length && !last.heading
          ? overlapStart(source, last, overlapTokens)
          : undefined;
    }
    current = trailing;
  };

  for (const block of blocks) {
    if (block.heading && current.length && size() >= minTokens) flush(false);
    else if (current.length && size() + block.tokens > maxTokens) flush(!block.heading);
    if (carryStart !== undefined && block.heading) carryStart = undefined;
    current.push(block);
  }
  flush(false);

  return spans.map((span, index) => {
    const text = source.slice(span.start, span.end);
    const chunk: Chunk = {
      index,
      text,
      start: span.start,
      end: span.end,
      tokenCount: estimateTokens(text),
      title: document.title,
      headingPath: span.path,
    };
    if (options.url) chunk.url = options.url;
    if (document.pages?.length) {
      chunk.page = pageAt(document, span.start);
      chunk.pageEnd = pageAt(document, span.end - 1);
    }
    return chunk;
  });
}

/** Paragraph-level blocks (heading lines on their own) with the heading path in force at each. */
function toBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const stack: { level: number; text: string }[] = [];
  let paragraph: Block | undefined;
  let inFence = false;
  let cursor = 0;
  const close = () => {
    if (paragraph) blocks.push(paragraph);
    paragraph = undefined;
  };
  for (const line of source.split("\n")) {
    const lineStart = cursor;
    const lineEnd = cursor + line.length;
    cursor = lineEnd + 1;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING_LINE.exec(line);
    if (!line.trim() && !inFence) {
      close();
    } else if (heading) {
      close();
      const level = heading[1]!.length;
      while (stack.length && stack.at(-1)!.level >= level) stack.pop();
      stack.push({ level, text: heading[2]!.replace(/[*_`]/g, "").trim() });
      blocks.push(block(source, lineStart, lineEnd, stack, stack.at(-1)));
    } else if (paragraph) {
      paragraph.end = lineEnd;
      paragraph.tokens = estimateTokens(source.slice(paragraph.start, lineEnd));
    } else {
      paragraph = block(source, lineStart, lineEnd, stack);
    }
  }
  close();
  return blocks;
}

const HEADING_LINE = /^(#{1,6})[ \t]+(.+?)[ \t]*#*$/;

function block(
  source: string,
  start: number,
  end: number,
  stack: { level: number; text: string }[],
  heading?: { level: number; text: string },
): Block {
  const result: Block = {
    start,
    end,
    tokens: estimateTokens(source.slice(start, end)),
    path: stack.map((h) => h.text),
  };
  if (heading) result.heading = heading;
  return result;
}

/** Splits blocks over the limit at sentence ends, then at spaces, keeping exact offsets. */
function splitOversized(blocks: Block[], source: string, maxTokens: number): Block[] {
  const result: Block[] = [];
  for (const original of blocks) {
    if (original.tokens <= maxTokens || original.heading) {
      result.push(original);
      continue;
    }
    let start = original.start;
    while (start < original.end) {
      const limit = start + maxTokens * 4;
      let end = original.end;
      if (limit < original.end) {
        const window = source.slice(start, limit);
        const sentence = Math.max(
          window.lastIndexOf(". "),
          window.lastIndexOf("\n"),
          window.lastIndexOf("? "),
        );
        const space = window.lastIndexOf(" ");
        const cut = sentence > window.length / 3 ? sentence + 1 : space > 0 ? space : window.length;
        end = start + cut;
      }
      const piece = source.slice(start, end);
      const lead = piece.length - piece.trimStart().length;
      const trimmedEnd = start + piece.trimEnd().length;
      if (trimmedEnd > start + lead) {
        result.push({
          ...original,
          start: start + lead,
          end: trimmedEnd,
          tokens: estimateTokens(piece.trim()),
        });
      }
      start = end;
    }
  }
  return result;
}

/**
 * Where the overlap for the next chunk begins: about `tokens` back from the end of the
 * block, moved forward to a sentence start when one is near, else to a word start.
 */
function overlapStart(source: string, last: Block, tokens: number): number | undefined {
  if (tokens <= 0) return undefined;
  const from = Math.max(last.start, last.end - tokens * 4);
  if (from === last.start) return last.start;
  const tail = source.slice(from, last.end);
  const sentence = /[.!?]\s+(?=\S)/.exec(tail);
  if (sentence && sentence.index < tail.length / 2) return from + sentence.index + sentence[0].length;
  const space = tail.indexOf(" ");
  return space === -1 ? undefined : from + space + 1;
}

/**
 * The deepest heading path that contains all of the chunk's text: for one section its full
 * path, for several merged small sections the heading they share.
 */
function enclosingPath(blocks: Block[]): string[] {
  const content = blocks.filter((entry) => !entry.heading);
  const paths = (content.length ? content : blocks).map((entry) => entry.path);
  const first = paths[0] ?? [];
  let length = first.length;
  for (const path of paths) {
    let same = 0;
    while (same < Math.min(length, path.length) && path[same] === first[same]) same++;
    length = same;
  }
  return first.slice(0, length);
}

function pageAt(document: ExtractedDocument, offset: number): number {
  const pages = document.pages ?? [];
  let found = pages[0]?.number ?? 1;
  for (const page of pages) if (page.start <= offset) found = page.number;
  return found;
}
