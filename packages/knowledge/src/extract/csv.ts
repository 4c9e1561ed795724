import { UnprocessableError } from "@oratio/core";
import { parse } from "csv-parse/sync";
import type { ExtractedDocument } from "../types.ts";
import { findHeadings, titleFromFileName } from "./markdown-utils.ts";

/**
 * A table becomes one readable line per row that names every column ("Service: Crown;
 * Price: $1,150"), so a row found by search makes sense on its own. Rows are separated by
 * blank lines, which lets the chunker cut between rows and never inside one.
 */
export function extractCsv(text: string, fileName?: string): ExtractedDocument {
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnprocessableError(`${fileName ?? "The CSV file"} could not be read as CSV (${reason}).`);
  }
  const [header, ...records] = rows;
  if (!header || records.length === 0) {
    throw new UnprocessableError(
      `${fileName ?? "The CSV file"} needs a header row and at least one data row.`,
    );
  }
  const title = titleFromFileName(fileName);
  const columns = header.map((name, index) => name || `Column ${index + 1}`);
  const lines = records.map((record) =>
    record
      .map((value, index) => (value ? `${columns[index] ?? `Column ${index + 1}`}: ${value}` : ""))
      .filter(Boolean)
      .join("; "),
  );
  const markdown = `# ${title}\n\n${lines.filter(Boolean).join("\n\n")}`;
  return { type: "csv", title, markdown, headings: findHeadings(markdown) };
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n"));
  const counts = [",", ";", "\t"].map((delimiter) => [delimiter, firstLine.split(delimiter).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}
