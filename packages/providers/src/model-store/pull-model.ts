import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { isOratioError, NotFoundError, OratioError, ProviderError, ValidationError } from "@oratio/core";
import { type CatalogueEntry, entryFile } from "./catalogue.ts";
import { resolveModelsDir } from "./models-dir.ts";

export class ChecksumMismatchError extends OratioError {
  constructor(name: string, expected: string, actual: string) {
    // Not retried: a host that serves other bytes than catalogued keeps doing so (TCP and
    // TLS already catch damage in transit); the catalogue or the host needs a look.
    super(502, "checksum-mismatch", "Downloaded file does not match its checksum", {
      detail: `${name}: expected sha256 ${expected}, got ${actual}. The file was discarded.`,
    });
  }
}

export class DownloadTooLargeError extends OratioError {
  constructor(name: string, bytes: number) {
    super(502, "download-too-large", "Download larger than catalogued", {
      detail: `${name}: the host sent more than the catalogued ${bytes} bytes. The file was discarded.`,
    });
  }
}

export interface PullProgress {
  name: string;
  receivedBytes: number;
  /** From Content-Length, else the catalogued size; undefined when neither is known. */
  totalBytes: number | undefined;
}

type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface PullOptions {
  catalogue: readonly CatalogueEntry[];
  modelsDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Pass the outbound-request guard's fetch (`createGuardedFetch`) wherever URLs come from config. */
  fetch?: FetchLike;
  /** Re-download even when the file in the store already has the right checksum. */
  force?: boolean;
  /** How often a transfer cut short is resumed with a Range request. Default 3. */
  maxResumes?: number;
}

export interface PullResult {
  name: string;
  /** Path relative to the store, e.g. `llm/stories260K.gguf`. */
  file: string;
  path: string;
  bytes: number;
  sha256: string;
  /** False when the file was already in the store. */
  downloaded: boolean;
}

export class UnknownModelError extends NotFoundError {
  constructor(name: string, known: string[]) {
    super(`Model "${name}" in the catalogue`);
    // Naming what exists turns a typo into a one-step fix.
    this.message = `Model "${name}" is not in the catalogue.${known.length ? ` Known models: ${known.join(", ")}.` : ""}`;
  }
}

/** Finds a catalogue entry or throws a 404 naming what is available. */
export function findCatalogueEntry(catalogue: readonly CatalogueEntry[], name: string): CatalogueEntry {
  const entry = catalogue.find((e) => e.name === name);
  if (!entry)
    throw new UnknownModelError(
      name,
      catalogue.map((e) => e.name),
    );
  return entry;
}

/**
 * Downloads a catalogued model into the store. The bytes are hashed while streaming to a
 * hidden temp file (hidden files are not listed as models); only a file whose sha256
 * matches is renamed into place, which is atomic on one file system. A failed, refused or
 * interrupted pull removes its temp file, so it never leaves a partial model behind.
 */
export async function pullModel(name: string, options: PullOptions): Promise<PullResult> {
  const entry = findCatalogueEntry(options.catalogue, name);
  if (!/^[0-9a-f]{64}$/i.test(entry.sha256)) {
    throw new ValidationError(`Catalogue entry "${name}" has no valid sha256.`, [
      { path: "sha256", message: "must be 64 hex digits" },
    ]);
  }
  const expected = entry.sha256.toLowerCase();
  const root = resolveModelsDir(options.modelsDir);
  const file = entryFile(entry);
  const target = path.resolve(root, file);
  if (!target.startsWith(root + path.sep)) {
    throw new ValidationError(`Catalogue entry "${name}" points outside the model store.`);
  }
  const relative = path.relative(root, target).split(path.sep).join("/");
  if (!options.force) {
    const existing = await stat(target).catch(() => undefined);
    // Same size is not proof: hash what is there, so a damaged or foreign file gets replaced.
    if (existing?.isFile() && (await hashFile(target, options.signal)) === expected) {
      return {
        name,
        file: relative,
        path: target,
        bytes: existing.size,
        sha256: expected,
        downloaded: false,
      };
    }
  }
  await mkdir(path.dirname(target), { recursive: true });
  await removeOrphanedTempFiles(target);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.part`,
  );
  try {
    const { bytes, sha256 } = await download(entry, temp, options);
    if (sha256 !== expected) throw new ChecksumMismatchError(name, expected, sha256);
    await rename(temp, target);
    return { name, file: relative, path: target, bytes, sha256, downloaded: true };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A process killed mid-download (power cut, SIGKILL) cannot remove its temp file. Temp
 * names carry the pid, so one whose process is gone is an orphan and goes before a new pull.
 */
async function removeOrphanedTempFiles(target: string): Promise<void> {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".part")) continue;
    const pid = Number(name.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid))
      await rm(path.join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by someone else
  }
}

async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Streams the URL into `temp`. When the connection drops part way, the transfer resumes
 * with `Range` (and `If-Range`, so a file changed in between starts over) instead of
 * fetching everything again; a host that ignores ranges simply sends it all once more.
 */
async function download(
  entry: CatalogueEntry,
  temp: string,
  options: PullOptions,
): Promise<{ bytes: number; sha256: string }> {
  const doFetch = options.fetch ?? fetch;
  const maxResumes = options.maxResumes ?? 3;
  const out: FileHandle = await open(temp, "wx");
  let hash = createHash("sha256");
  let received = 0;
  let validator: string | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      if (received > 0) {
        headers.range = `bytes=${received}-`;
        if (validator) headers["if-range"] = validator;
      }
      const response = await request(doFetch, entry, headers, options.signal);
      let total: number | undefined;
      if (received > 0 && response.status === 206 && rangeStart(response) === received) {
        total = rangeTotal(response) ?? entry.bytes;
      } else if (response.status === 200) {
        if (received > 0) {
          // The host did not honour the range: start the file and the hash over.
          await out.truncate(0);
          hash = createHash("sha256");
          received = 0;
        }
        total = Number(response.headers.get("content-length")) || entry.bytes;
      } else {
        await response.body?.cancel();
        throw new ProviderError("model-store", `Download of ${entry.name} failed: HTTP ${response.status}`, {
          upstreamStatus: response.status,
        });
      }
      validator ??= response.headers.get("etag") ?? response.headers.get("last-modified") ?? undefined;
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          if (entry.bytes !== undefined && received + chunk.byteLength > entry.bytes) {
            throw new DownloadTooLargeError(entry.name, entry.bytes);
          }
          hash.update(chunk);
          await out.write(chunk, 0, chunk.byteLength, received);
          received += chunk.byteLength;
          options.onProgress?.({ name: entry.name, receivedBytes: received, totalBytes: total });
        }
        return { bytes: received, sha256: hash.digest("hex") };
      } catch (error) {
        if (options.signal?.aborted || isOratioError(error)) throw error;
        if (attempt >= maxResumes) {
          throw new ProviderError(
            "model-store",
            `Download of ${entry.name} broke off after ${received} bytes: ${(error as Error).message}`,
            { cause: error },
          );
        }
        // Otherwise the connection dropped: loop round and resume from `received`.
      }
    }
  } finally {
    await out.close();
  }
}

async function request(
  doFetch: FetchLike,
  entry: CatalogueEntry,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await doFetch(entry.url, { signal, redirect: "follow", headers });
  } catch (error) {
    if (signal?.aborted) throw error;
    // The outbound guard reports a refused destination as the cause of fetch's TypeError.
    const cause = (error as Error).cause;
    if (isOratioError(cause)) throw cause;
    const reason = cause instanceof Error ? cause.message : (error as Error).message;
    throw new ProviderError("model-store", `Cannot reach ${new URL(entry.url).host}: ${reason}`, {
      cause: error,
    });
  }
}

/** `Content-Range: bytes 100-199/200` → 100. */
function rangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
  return match ? Number(match[1]) : undefined;
}

function rangeTotal(response: Response): number | undefined {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
  return match ? Number(match[1]) : undefined;
}
