import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { NotFoundError, OratioError, ProviderError, ValidationError } from "@oratio/core";
import { type CatalogueEntry, entryFile } from "./catalogue.ts";
import { resolveModelsDir } from "./models-dir.ts";

export class ChecksumMismatchError extends OratioError {
  constructor(name: string, expected: string, actual: string) {
    super(502, "checksum-mismatch", "Downloaded file does not match its checksum", {
      detail: `${name}: expected sha256 ${expected}, got ${actual}. The file was discarded.`,
      retryable: true,
    });
  }
}

export interface PullProgress {
  name: string;
  receivedBytes: number;
  totalBytes: number;
}

export interface PullOptions {
  catalogue: readonly CatalogueEntry[];
  modelsDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  fetch?: typeof fetch;
  /** Re-download even when a file with the right size already exists. */
  force?: boolean;
}

export interface PullResult {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  /** False when the file was already in the store. */
  downloaded: boolean;
}

/**
 * Downloads a catalogued model into the store. The bytes are hashed while streaming to a
 * hidden temp file; only a file whose sha256 matches is renamed into place (atomic on one
 * file system), so a failed or interrupted pull never leaves a half file under the real name.
 */
export async function pullModel(name: string, options: PullOptions): Promise<PullResult> {
  const entry = options.catalogue.find((e) => e.name === name);
  if (!entry) throw new NotFoundError(`Model "${name}" in the catalogue`);
  if (!/^[0-9a-f]{64}$/i.test(entry.sha256)) {
    throw new ValidationError(`Catalogue entry "${name}" has no valid sha256.`, [
      { path: "sha256", message: "must be 64 hex digits" },
    ]);
  }
  const root = resolveModelsDir(options.modelsDir);
  const target = path.resolve(root, entryFile(entry));
  if (!target.startsWith(root + path.sep)) {
    throw new ValidationError(`Catalogue entry "${name}" points outside the model store.`);
  }
  const existing = await stat(target).catch(() => undefined);
  if (existing && existing.size === entry.bytes && !options.force) {
    return {
      name,
      path: target,
      bytes: existing.size,
      sha256: entry.sha256.toLowerCase(),
      downloaded: false,
    };
  }
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.part`);
  try {
    const { bytes, sha256 } = await download(entry, temp, options);
    if (sha256 !== entry.sha256.toLowerCase()) throw new ChecksumMismatchError(name, entry.sha256, sha256);
    await rename(temp, target);
    return { name, path: target, bytes, sha256, downloaded: true };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function download(
  entry: CatalogueEntry,
  temp: string,
  options: PullOptions,
): Promise<{ bytes: number; sha256: string }> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(entry.url, { signal: options.signal, redirect: "follow" });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ProviderError(
      "model-store",
      `Cannot reach ${new URL(entry.url).host}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ProviderError("model-store", `Download of ${entry.name} failed: HTTP ${response.status}`, {
      upstreamStatus: response.status,
    });
  }
  const total = Number(response.headers.get("content-length")) || entry.bytes;
  const hash = createHash("sha256");
  const file = createWriteStream(temp, { flags: "wx" });
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.byteLength;
      if (!file.write(chunk)) await new Promise<void>((resolve) => file.once("drain", () => resolve()));
      options.onProgress?.({ name: entry.name, receivedBytes: received, totalBytes: total });
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  return { bytes: received, sha256: hash.digest("hex") };
}
