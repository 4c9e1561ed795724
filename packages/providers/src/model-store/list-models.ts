import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { kindOfPath, type ModelKind } from "./catalogue.ts";
import { resolveModelsDir } from "./models-dir.ts";

export interface StoredModel {
  /** Path relative to the store, with forward slashes, e.g. `llm/stories260K.gguf`. */
  name: string;
  path: string;
  bytes: number;
  kind: ModelKind;
  modifiedAt: Date;
}

const MODEL_EXTENSIONS = new Set([".gguf", ".onnx", ".bin", ".ggml", ".safetensors", ".tflite"]);

/** Model files in the store. A missing store is an empty store, not an error. */
export async function listModels(
  modelsDir?: string,
  options: { signal?: AbortSignal } = {},
): Promise<StoredModel[]> {
  const root = resolveModelsDir(modelsDir);
  const found: StoredModel[] = [];
  async function walk(dir: string): Promise<void> {
    options.signal?.throwIfAborted();
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue; // includes in-progress downloads
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && MODEL_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        const info = await stat(full);
        const name = path.relative(root, full).split(path.sep).join("/");
        found.push({ name, path: full, bytes: info.size, kind: kindOfPath(name), modifiedAt: info.mtime });
      }
    }
  }
  await walk(root);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
