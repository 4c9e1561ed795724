export type DocumentType = "pdf" | "docx" | "txt" | "markdown" | "html" | "csv";

export const DOCUMENT_MEDIA_TYPES: Record<DocumentType, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  txt: "text/plain",
  markdown: "text/markdown",
  html: "text/html",
  csv: "text/csv",
};

/** A page of a paged document (PDF) and where its text sits inside `markdown`. */
export interface DocumentPage {
  /** 1-based page number. */
  number: number;
  start: number;
  end: number;
}

/**
 * The text of a document in one canonical form: Markdown, with `#` headings where the source
 * had headings (HTML, DOCX, Markdown). Chunk offsets point into `markdown`.
 */
export interface ExtractedDocument {
  type: DocumentType;
  title: string;
  markdown: string;
  /** Only for paged formats. */
  pages?: DocumentPage[];
  /** Headings in reading order, e.g. for a table of contents. */
  headings: Heading[];
}

export interface Heading {
  level: number;
  text: string;
  /** Offset of the heading line in `markdown`. */
  start: number;
}
