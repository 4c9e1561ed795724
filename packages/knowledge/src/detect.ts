import { UnprocessableError, UnsupportedMediaTypeError } from "@oratio/core";
import type { DocumentType } from "./types.ts";

const SUPPORTED = "PDF, DOCX, plain text, Markdown, HTML or CSV";

/** Magic numbers of common formats we do not read, so the error can name what was sent. */
const OTHER_SIGNATURES: [string, number[]][] = [
  ["PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["JPEG image", [0xff, 0xd8, 0xff]],
  ["GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["WebP or RIFF media", [0x52, 0x49, 0x46, 0x46]],
  ["gzip archive", [0x1f, 0x8b]],
  ["7-Zip archive", [0x37, 0x7a, 0xbc, 0xaf]],
  ["RAR archive", [0x52, 0x61, 0x72, 0x21]],
  ["legacy Office document (.doc/.xls)", [0xd0, 0xcf, 0x11, 0xe0]],
  ["RTF document", [0x7b, 0x5c, 0x72, 0x74, 0x66]],
  ["executable", [0x7f, 0x45, 0x4c, 0x46]],
  ["executable", [0x4d, 0x5a]],
];

/**
 * Works out what a file is from its bytes; the file name only breaks ties between text
 * formats (a `.md` file and a `.txt` file can hold the same characters). A name that
 * promises PDF or DOCX over bytes that are not one is treated as a damaged file.
 */
export function detectDocumentType(bytes: Uint8Array, fileName?: string): DocumentType {
  const extension = extensionOf(fileName);
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // A DOCX is a ZIP whose entries include word/document.xml; entry names are stored
    // uncompressed in the ZIP headers, so a byte search finds them.
    if (containsAscii(bytes, "word/document.xml")) return "docx";
    throw new UnsupportedMediaTypeError(`This ZIP-based file is not a Word document. Upload ${SUPPORTED}.`);
  }
  for (const [name, signature] of OTHER_SIGNATURES) {
    if (startsWith(bytes, signature)) {
      throw new UnsupportedMediaTypeError(`The file is a ${name}. Upload ${SUPPORTED}.`);
    }
  }
  const text = decodeText(bytes);
  if (text === undefined) {
    if (extension === "pdf" || extension === "docx") {
      throw new UnprocessableError(
        `"${fileName}" is named like a ${extension.toUpperCase()} but its content is not one.`,
      );
    }
    throw new UnsupportedMediaTypeError(`The file is binary data of an unknown format. Upload ${SUPPORTED}.`);
  }
  if (extension === "pdf" || extension === "docx") {
    throw new UnprocessableError(
      `"${fileName}" is named like a ${extension.toUpperCase()} but contains plain text.`,
    );
  }
  return detectTextType(text, extension);
}

/** UTF-8 text without NUL bytes, or `undefined` for binary content. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function detectTextType(text: string, extension: string | undefined): DocumentType {
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  const looksHtml =
    /^(<!doctype html|<html[\s>]|<\?xml[^>]*>\s*<html)/.test(head) || /<(head|body)[\s>]/.test(head);
  if (extension === "html" || extension === "htm" || extension === "xhtml" || looksHtml) return "html";
  if (extension === "csv" || extension === "tsv") return "csv";
  if (extension === "md" || extension === "markdown" || extension === "mdx") return "markdown";
  if (extension === "txt" || extension === "text") return "txt";
  if (looksLikeCsv(text)) return "csv";
  if (/^#{1,6}\s+\S/m.test(text) || /^\s*[-*]\s+\[[ x]\]/m.test(text) || /\[[^\]]+\]\([^)]+\)/.test(text)) {
    return "markdown";
  }
  return "txt";
}

/** At least three lines that split into the same number (≥ 2) of comma/semicolon/tab fields. */
function looksLikeCsv(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .slice(0, 20);
  if (lines.length < 3) return false;
  return [",", ";", "\t"].some((delimiter) => {
    const counts = lines.map((line) => line.split(delimiter).length);
    return counts[0]! >= 2 && counts.every((count) => count === counts[0]);
  });
}

function extensionOf(fileName: string | undefined): string | undefined {
  const match = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/);
  return match?.[1];
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function containsAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, "latin1");
}
