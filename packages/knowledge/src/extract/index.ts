import { PayloadTooLargeError, UnprocessableError } from "@oratio/core";
import { decodeText, detectDocumentType } from "../detect.ts";
import type { DocumentType, ExtractedDocument } from "../types.ts";
import { extractCsv } from "./csv.ts";
import { extractDocx } from "./docx.ts";
import { extractHtml } from "./html.ts";
import { findHeadings, tidyMarkdown, titleFromFileName } from "./markdown-utils.ts";
import { extractPdf } from "./pdf.ts";

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export interface ExtractOptions {
  fileName?: string;
  /** Larger files are refused with 413. Default 20 MiB. */
  maxBytes?: number;
  /** Skip detection when the type is already known (e.g. from a crawl's content type). */
  type?: DocumentType;
  /** Page URL, for HTML: resolves relative links and names the page when it has no title. */
  url?: string;
  signal?: AbortSignal;
}

/**
 * Turns an uploaded or fetched file into Markdown text plus title, headings and pages.
 * Errors: 413 over `maxBytes`, 415 for formats we do not read, 422 for damaged, encrypted or
 * empty files.
 */
export async function extractDocument(
  bytes: Uint8Array,
  options: ExtractOptions = {},
): Promise<ExtractedDocument> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError(`The file is ${bytes.byteLength} bytes; the limit is ${maxBytes} bytes.`);
  }
  if (bytes.byteLength === 0) throw new UnprocessableError(`${options.fileName ?? "The file"} is empty.`);
  options.signal?.throwIfAborted();
  const type = options.type ?? detectDocumentType(bytes, options.fileName);
  switch (type) {
    case "pdf":
      return extractPdf(bytes, options.fileName);
    case "docx":
      return extractDocx(bytes, options.fileName);
    default: {
      const text = decodeText(bytes);
      if (text === undefined)
        throw new UnprocessableError(`${options.fileName ?? "The file"} is not valid UTF-8 text.`);
      return extractText(text, type, options);
    }
  }
}

function extractText(text: string, type: DocumentType, options: ExtractOptions): ExtractedDocument {
  if (type === "html") return nonEmpty(extractHtml(text, options.url).document, options.fileName);
  if (type === "csv") return extractCsv(text, options.fileName);
  const markdown = tidyMarkdown(text.replace(/^\uFEFF/, ""));
  const headings = type === "markdown" ? findHeadings(markdown) : [];
  const title = headings.find((heading) => heading.level === 1)?.text ?? titleFromFileName(options.fileName);
  return nonEmpty({ type, title, markdown, headings }, options.fileName);
}

function nonEmpty(document: ExtractedDocument, fileName: string | undefined): ExtractedDocument {
  if (!document.markdown.trim()) throw new UnprocessableError(`${fileName ?? "The file"} contains no text.`);
  return document;
}
