import { UnprocessableError } from "@oratio/core";
import { extractText, getDocumentProxy } from "unpdf";
import type { DocumentPage, ExtractedDocument } from "../types.ts";
import { findHeadings, tidyMarkdown, titleFromFileName } from "./markdown-utils.ts";

/**
 * Text of every page, joined with blank lines; `pages` records where each page's text sits so
 * a chunk can cite its page number. PDFs carry no reliable heading structure, so none is
 * invented here.
 */
export async function extractPdf(bytes: Uint8Array, fileName?: string): Promise<ExtractedDocument> {
  let proxy: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    proxy = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    throw pdfError(error, fileName);
  }
  try {
    const { text } = await extractText(proxy, { mergePages: false });
    const info = (await proxy.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    const pages: DocumentPage[] = [];
    let markdown = "";
    text.forEach((pageText, index) => {
      const tidy = tidyMarkdown(pageText);
      if (!tidy) return;
      if (markdown) markdown += "\n\n";
      pages.push({ number: index + 1, start: markdown.length, end: markdown.length + tidy.length });
      markdown += tidy;
    });
    if (!markdown.trim()) {
      throw new UnprocessableError(
        `${fileName ?? "The PDF"} contains no extractable text (it may be a scanned image without OCR).`,
      );
    }
    const metadataTitle = typeof info?.Title === "string" ? info.Title.trim() : "";
    const firstLine = markdown.split("\n", 1)[0]?.trim().slice(0, 120) ?? "";
    return {
      type: "pdf",
      title: metadataTitle || firstLine || titleFromFileName(fileName),
      markdown,
      pages,
      headings: findHeadings(markdown),
    };
  } finally {
    await proxy.destroy().catch(() => {});
  }
}

function pdfError(error: unknown, fileName: string | undefined): UnprocessableError {
  const name = fileName ? `"${fileName}"` : "The PDF";
  const kind = error instanceof Error ? error.name : "";
  if (kind === "PasswordException") {
    return new UnprocessableError(`${name} is password-protected. Upload a copy without a password.`);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UnprocessableError(`${name} is damaged or not a valid PDF (${reason}).`);
}
