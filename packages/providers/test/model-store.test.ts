import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NotFoundError, ProviderError } from "@oratio/core";
import { createGuardedFetch } from "@oratio/net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BUILTIN_CATALOGUE,
  type CatalogueEntry,
  CatalogueError,
  ChecksumMismatchError,
  DownloadTooLargeError,
  entryFile,
  listModels,
  loadCatalogue,
  type PullProgress,
  parseCatalogue,
  pullModel,
} from "../src/model-store/index.ts";
import {
  type ModelFileServer,
  type ServedFile,
  serveModelFiles,
  sha256Of,
} from "../src/model-store/testing.ts";

const payload = randomBytes(300_000);
const sha256 = sha256Of(payload);
let dir: string;
let server: ModelFileServer;

async function serve(overrides: Partial<ServedFile> = {}) {
  server = await serveModelFiles([{ path: "/files/tiny.gguf", body: payload, ...overrides }]);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "oratio-models-"));
});

afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function catalogue(overrides: Partial<CatalogueEntry> = {}): CatalogueEntry[] {
  return [
    {
      name: "tiny",
      url: `${server.url}/files/tiny.gguf`,
      sha256,
      bytes: payload.length,
      kind: "llm",
      ...overrides,
    },
  ];
}

/** Everything in the store folder, hidden temp files included. */
async function allFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("pullModel", () => {
  it("pulls a catalogued model with progress, verifies sha256 and lists it", async () => {
    await serve();
    const progress: PullProgress[] = [];
    const result = await pullModel("tiny", {
      catalogue: catalogue(),
      modelsDir: dir,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({
      name: "tiny",
      file: "llm/tiny.gguf",
      bytes: payload.length,
      sha256,
      downloaded: true,
    });
    expect(result.path).toBe(path.join(dir, "llm", "tiny.gguf"));
    expect(Buffer.compare(await readFile(result.path), payload)).toBe(0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({
      name: "tiny",
      receivedBytes: payload.length,
      totalBytes: payload.length,
    });

    const again = await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    expect(again.downloaded).toBe(false);
    expect(server.requests).toHaveLength(1);

    await writeFile(path.join(dir, "notes.txt"), "not a model");
    const models = await listModels(dir);
    expect(models.map((m) => ({ name: m.name, bytes: m.bytes, kind: m.kind }))).toEqual([
      { name: "llm/tiny.gguf", bytes: payload.length, kind: "llm" },
    ]);
  });

  it("replaces a file of the right size whose bytes are wrong", async () => {
    await serve();
    await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    const damaged = Buffer.from(payload);
    damaged[1000] = (damaged[1000]! + 1) % 256;
    await writeFile(path.join(dir, "llm", "tiny.gguf"), damaged);
    const again = await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    expect(again.downloaded).toBe(true);
    expect(sha256Of(await readFile(again.path))).toBe(sha256);
  });

  it("discards a download whose sha256 does not match and leaves no file behind", async () => {
    await serve();
    const wrong = "0".repeat(64);
    const error = await pullModel("tiny", { catalogue: catalogue({ sha256: wrong }), modelsDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as ChecksumMismatchError).retryable).toBe(false);
    expect((error as Error).message).toContain(`got ${sha256}`);
    expect(await allFiles()).toEqual([]);
    expect(await listModels(dir)).toEqual([]);
  });

  it("clears temp files left by a process that died mid-download", async () => {
    await serve();
    await mkdir(path.join(dir, "llm"), { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max ceiling, so no process can own it.
    const orphan = path.join(dir, "llm", `.tiny.gguf.${2 ** 22 + 1}.0badc0de.part`);
    const ours = path.join(dir, "llm", `.tiny.gguf.${process.pid}.feedf00d.part`);
    await writeFile(orphan, "half a model");
    await writeFile(ours, "a pull in progress in a live process");
    await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    expect((await allFiles()).sort()).toEqual(
      [`.tiny.gguf.${process.pid}.feedf00d.part`, "tiny.gguf"].sort(),
    );
  });

  it("stops a download that grows past its catalogued size", async () => {
    await serve();
    await expect(
      pullModel("tiny", { catalogue: catalogue({ bytes: 1000 }), modelsDir: dir }),
    ).rejects.toBeInstanceOf(DownloadTooLargeError);
    expect(await allFiles()).toEqual([]);
  });

  it("resumes a transfer cut short with a Range request", async () => {
    await serve({ cutAfter: 100_000 });
    const result = await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    expect(result.sha256).toBe(sha256);
    expect(server.requests.map((r) => r.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    const resumedFrom = Number(/\d+/.exec(server.requests[1]!.range!)![0]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(100_000);
  });

  it("starts over when the host ignores the range", async () => {
    await serve({ cutAfter: 100_000, ignoreRange: true });
    const result = await pullModel("tiny", { catalogue: catalogue(), modelsDir: dir });
    expect(result.sha256).toBe(sha256);
    expect(server.requests).toHaveLength(2);
  });

  it("reports unknown names, HTTP failures and aborts clearly", async () => {
    await serve();
    const unknown = await pullModel("nope", { catalogue: catalogue(), modelsDir: dir }).catch(
      (e: Error) => e,
    );
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as Error).message).toBe('Model "nope" is not in the catalogue. Known models: tiny.');
    const missing = catalogue({ url: `${server.url}/files/missing.gguf` });
    await expect(pullModel("tiny", { catalogue: missing, modelsDir: dir })).rejects.toMatchObject({
      constructor: ProviderError,
      upstreamStatus: 404,
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      pullModel("tiny", { catalogue: catalogue(), modelsDir: dir, signal: controller.signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(await allFiles()).toEqual([]);
  });

  it("removes the partial file when aborted mid-transfer", async () => {
    await serve({ stallAfter: 150_000 });
    const controller = new AbortController();
    const pulling = pullModel("tiny", {
      catalogue: catalogue(),
      modelsDir: dir,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.receivedBytes >= 150_000) controller.abort();
      },
    });
    await expect(pulling).rejects.toMatchObject({ name: "AbortError" });
    expect(await allFiles()).toEqual([]);
  });

  it("refuses a loopback URL through the outbound guard unless allowed", async () => {
    await serve();
    const blocked = pullModel("tiny", {
      catalogue: catalogue(),
      modelsDir: dir,
      fetch: createGuardedFetch({ allowList: "" }),
    });
    await expect(blocked).rejects.toMatchObject({ code: "blocked-destination" });
    const allowed = await pullModel("tiny", {
      catalogue: catalogue(),
      modelsDir: dir,
      fetch: createGuardedFetch({ allowList: "127.0.0.1" }),
    });
    expect(allowed.sha256).toBe(sha256);
  });

  it("treats a missing store as empty", async () => {
    expect(await listModels(path.join(dir, "does-not-exist"))).toEqual([]);
  });
});

describe("model catalogue", () => {
  it("has pinned, well-formed built-in entries", () => {
    expect(BUILTIN_CATALOGUE.length).toBeGreaterThan(0);
    for (const entry of BUILTIN_CATALOGUE) {
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.url).toMatch(/^https:\/\//);
      // A branch name could move; a commit hash or a version tag cannot.
      expect(entry.url).toMatch(/\/(resolve|raw)\/([0-9a-f]{40}|v\d[\w.]*)\//);
    }
    expect(new Set(BUILTIN_CATALOGUE.map((e) => e.name)).size).toBe(BUILTIN_CATALOGUE.length);
    // The built-in list passes the same validation as an operator's file.
    expect(parseCatalogue(JSON.stringify(BUILTIN_CATALOGUE), "built-in")).toHaveLength(
      BUILTIN_CATALOGUE.length,
    );
  });

  it("pins the bytes of the reference copies in ../shared/models", async () => {
    // Two built-in entries have copies on these machines: pulling them into that store finds
    // the files already there with the catalogued sha256 (hashed, not sized), and fetches nothing.
    const shared = path.resolve(import.meta.dirname, "../../../../shared/models");
    for (const name of ["stories260k", "silero-vad"]) {
      const entry = BUILTIN_CATALOGUE.find((e) => e.name === name)!;
      if (!(await stat(path.join(shared, entryFile(entry))).catch(() => undefined))) {
        console.warn(`Skipping the reference-copy check of ${name}: not in ${shared}.`);
        continue;
      }
      const result = await pullModel(name, {
        catalogue: BUILTIN_CATALOGUE,
        modelsDir: shared,
        fetch: () => Promise.reject(new Error("no download expected")),
      });
      expect(result).toMatchObject({ name, downloaded: false, bytes: entry.bytes });
    }
  });

  it("adds an operator file to the built-in entries, replacing same-named ones", async () => {
    const file = path.join(dir, "catalogue.json");
    await writeFile(
      file,
      JSON.stringify({
        models: [
          { name: "house-model", kind: "llm", url: "https://models.example/h.gguf", sha256: "A".repeat(64) },
          {
            name: BUILTIN_CATALOGUE[0]!.name,
            kind: "llm",
            url: "https://mirror.example/s.gguf",
            sha256: "b".repeat(64),
          },
        ],
      }),
    );
    const entries = await loadCatalogue(file);
    expect(entries.find((e) => e.name === "house-model")?.sha256).toBe("a".repeat(64));
    expect(entries.filter((e) => e.name === BUILTIN_CATALOGUE[0]!.name)).toEqual([
      expect.objectContaining({ url: "https://mirror.example/s.gguf" }),
    ]);
    expect(entries).toHaveLength(BUILTIN_CATALOGUE.length + 1);
    expect(await loadCatalogue(undefined)).toEqual([...BUILTIN_CATALOGUE]);
  });

  it("fetches a catalogue URL and explains bad catalogues", async () => {
    const body = JSON.stringify([{ name: "remote", kind: "vad", url: "https://x.example/v.onnx", sha256 }]);
    server = await serveModelFiles([
      { path: "/catalogue.json", body: Buffer.from(body) },
      { path: "/broken.json", body: Buffer.from("{not json") },
    ]);
    const entries = await loadCatalogue(`${server.url}/catalogue.json`, {
      fetch: createGuardedFetch({ allowList: "127.0.0.1" }),
    });
    expect(entries.at(-1)).toMatchObject({ name: "remote", kind: "vad" });
    await expect(
      loadCatalogue(`${server.url}/catalogue.json`, { fetch: createGuardedFetch({ allowList: "" }) }),
    ).rejects.toThrow(/blocked|Refused/i);
    await expect(loadCatalogue(`${server.url}/broken.json`)).rejects.toThrow(/is not JSON/);
    await expect(loadCatalogue(`${server.url}/missing.json`)).rejects.toThrow(/HTTP 404/);
    await expect(loadCatalogue(path.join(dir, "nope.json"))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    const bad = (entry: unknown) => () => parseCatalogue(JSON.stringify([entry]), "test.json");
    const base = { name: "m", kind: "llm", url: "https://x.example/m.gguf", sha256 };
    expect(bad({ ...base, sha256: "abc" })).toThrow(/at 0\.sha256: must be 64 hex digits/);
    expect(bad({ ...base, url: "file:///etc/passwd" })).toThrow(/url/);
    expect(bad({ ...base, file: "../outside.gguf" })).toThrow(/relative path inside the store/);
    expect(bad({ ...base, kind: "weights" })).toThrow(/kind/);
    expect(() => parseCatalogue(JSON.stringify([base, base]), "test.json")).toThrow(/lists "m" twice/);
    expect(bad({ ...base, extra: 1 })).toThrow(CatalogueError);
  });
});
