import { UnprocessableError } from "@oratio/core";
import mammoth from "mammoth";
import type { ExtractedDocument } from "../types.ts";
import { htmlToMarkdown } from "./html-to-markdown.ts";
import { findHeadings, tidyMarkdown, titleFromFileName } from "./markdown-utils.ts";

/** Word documents go through HTML so their heading styles become Markdown headings. */
export async function extractDocx(bytes: Uint8Array, fileName?: string): Promise<ExtractedDocument> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    html = result.value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnprocessableError(
      `${fileName ? `"${fileName}"` : "The Word document"} is damaged or encrypted (${reason}).`,
    );
  }
  const markdown = tidyMarkdown(htmlToMarkdown(html));
  if (!markdown) throw new UnprocessableError(`${fileName ?? "The Word document"} contains no text.`);
  const headings = findHeadings(markdown);
  const title = headings.find((heading) => heading.level === 1)?.text ?? headings[0]?.text;
  return { type: "docx", title: title ?? titleFromFileName(fileName), markdown, headings };
}
