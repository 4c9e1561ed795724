export type ModelKind = "llm" | "embedding" | "stt" | "tts" | "vad" | "other";

export const MODEL_KINDS: readonly ModelKind[] = ["llm", "embedding", "stt", "tts", "vad", "other"];

/** A model the store knows how to fetch; `sha256` pins the exact bytes. */
export interface CatalogueEntry {
  name: string;
  url: string;
  sha256: string;
  /**
   * Exact size in bytes when known. A download that grows past it is stopped early instead
   * of being read to the end and then refused by its checksum.
   */
  bytes?: number;
  kind: ModelKind;
  /** Path inside the store; defaults to `<kind>/<file name of url>`. */
  file?: string;
  license?: string;
  description?: string;
}

export function entryFile(entry: CatalogueEntry): string {
  if (entry.file) return entry.file;
  const base = decodeURIComponent(new URL(entry.url).pathname.split("/").pop() || entry.name);
  return `${entry.kind}/${base}`;
}

/** Folders of the store map to kinds; anything else is `other`. */
export function kindOfPath(relativePath: string): ModelKind {
  const top = relativePath.split(/[\\/]/)[0];
  if (top === "llm" || top === "embedding" || top === "stt" || top === "tts" || top === "vad") return top;
  if (top === "whisper") return "stt";
  if (relativePath.endsWith(".gguf")) return "llm";
  return "other";
}
