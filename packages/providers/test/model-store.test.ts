import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { NotFoundError, ProviderError } from "@oratio/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CatalogueEntry,
  ChecksumMismatchError,
  listModels,
  type PullProgress,
  pullModel,
} from "../src/model-store/index.ts";
import { startServer } from "./http-fixture.ts";

const payload = randomBytes(300_000);
const sha256 = createHash("sha256").update(payload).digest("hex");
let dir: string;
let server: Awaited<ReturnType<typeof startServer>>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "oratio-models-"));
  server = await startServer((req, res) => {
    if (req.url === "/files/tiny.gguf") {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(payload.length),
      });
      // Several writes so that progress is reported more than once.
      for (let offset = 0; offset < payload.length; offset += 65_536)
        res.write(payload.subarray(offset, offset + 65_536));
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});

afterEach(async () => {
  await server.close();
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

describe("model store", () => {
  it("pulls a catalogued model with progress, verifies sha256 and lists it", async () => {
    const progress: PullProgress[] = [];
    const result = await pullModel("tiny", {
      catalogue: catalogue(),
      modelsDir: dir,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ name: "tiny", bytes: payload.length, sha256, downloaded: true });
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

  it("discards a download whose sha256 does not match and leaves no file behind", async () => {
    const wrong = "0".repeat(64);
    await expect(
      pullModel("tiny", { catalogue: catalogue({ sha256: wrong }), modelsDir: dir }),
    ).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect(await readdir(path.join(dir, "llm"))).toEqual([]);
    expect(await listModels(dir)).toEqual([]);
  });

  it("reports unknown names, HTTP failures and aborts clearly", async () => {
    await expect(pullModel("nope", { catalogue: catalogue(), modelsDir: dir })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const missing = catalogue({ url: `${server.url}/files/missing.gguf` });
    await expect(pullModel("tiny", { catalogue: missing, modelsDir: dir })).rejects.toMatchObject({
      constructor: ProviderError,
      upstreamStatus: 404,
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      pullModel("tiny", { catalogue: catalogue(), modelsDir: dir, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(await listModels(dir)).toEqual([]);
  });

  it("treats a missing store as empty", async () => {
    expect(await listModels(path.join(dir, "does-not-exist"))).toEqual([]);
  });
});
