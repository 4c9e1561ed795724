import type { Heading } from "../types.ts";

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const FENCE = /^(```|~~~)/;

/** ATX headings (`## Prices`) in reading order, skipping fenced code blocks. */
export function findHeadings(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let inFence = false;
  let offset = 0;
  for (const line of markdown.split("\n")) {
    if (FENCE.test(line.trimStart())) inFence = !inFence;
    else if (!inFence) {
      const match = HEADING.exec(line);
      if (match) headings.push({ level: match[1]!.length, text: stripInline(match[2]!), start: offset });
    }
    offset += line.length + 1;
  }
  return headings;
}

/** Normalises line endings and trims runs of blank lines, so offsets are stable. */
export function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export function titleFromFileName(fileName: string | undefined): string {
  if (!fileName) return "Untitled document";
  const stem = fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, "");
  const words = stem.replace(/[-_]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Untitled document";
}

function stripInline(text: string): string {
  return text.replace(/[*_`]/g, "").trim();
}
