import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ModelFileServer, serveModelFiles, sha256Of } from "@oratio/providers/model-store/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { ProgressBar } from "../src/progress.ts";

const BIN = fileURLToPath(new URL("../bin/oratio.mjs", import.meta.url));
const tiny = randomBytes(400_000);
const big = randomBytes(2_000_000);
let server: ModelFileServer;
let work: string;
let dir: string;
let catalogueFile: string;
let env: Record<string, string>;

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      sleep: async () => {},
    },
  };
}

/** Every file under the store, hidden temp files included. */
async function storeFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

beforeAll(async () => {
  server = await serveModelFiles([
    { path: "/m/tiny.gguf", body: tiny },
    // Sends a quarter and then stalls, so a test can interrupt a pull in progress.
    { path: "/m/slow.gguf", body: big, stallAfter: 500_000 },
  ]);
  work = await mkdtemp(path.join(tmpdir(), "oratio-cli-models-"));
  catalogueFile = path.join(work, "catalogue.json");
  await writeFile(
    catalogueFile,
    JSON.stringify({
      models: [
        {
          name: "tiny",
          kind: "llm",
          url: `${server.url}/m/tiny.gguf`,
          sha256: sha256Of(tiny),
          bytes: tiny.length,
        },
        {
          name: "tampered",
          kind: "llm",
          url: `${server.url}/m/tiny.gguf`,
          sha256: "f".repeat(64),
          file: "llm/t.gguf",
        },
        {
          name: "slow",
          kind: "llm",
          url: `${server.url}/m/slow.gguf`,
          sha256: sha256Of(big),
          bytes: big.length,
        },
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = path.join(work, `store-${randomBytes(3).toString("hex")}`);
  env = { ORATIO_MODELS_DIR: dir, ORATIO_MODEL_CATALOGUE: catalogueFile, ORATIO_FETCH_ALLOW: "127.0.0.1" };
});

describe("oratio models (in process)", () => {
  it("pulls a catalogued model with progress lines, then lists it", async () => {
    const pull = captureIo();
    expect(await main(["models", "pull", "tiny"], env, pull.io)).toBe(0);
    expect(pull.err[0]).toMatch(/^Pulling tiny \(400\.0 KB\) from 127\.0\.0\.1:\d+ into /);
    const progress = pull.err.filter((l) => l.startsWith("tiny: "));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatch(/^tiny: 100% \(400\.0 KB \/ 400\.0 KB\)/);
    expect(pull.out.join("\n")).toContain(
      `Saved llm/tiny.gguf (400.0 KB), sha256 ${sha256Of(tiny)} verified.`,
    );
    expect(sha256Of(await readFile(path.join(dir, "llm", "tiny.gguf")))).toBe(sha256Of(tiny));

    const list = captureIo();
    expect(await main(["models", "list"], env, list.io)).toBe(0);
    expect(list.out.join("\n")).toMatch(/llm\/tiny\.gguf\s+llm\s+400\.0 KB/);

    const catalogue = captureIo();
    expect(await main(["models", "catalogue"], env, catalogue.io)).toBe(0);
    const table = catalogue.out.join("\n");
    expect(table).toMatch(/\ntiny\s+llm\s+400\.0 KB\s+yes/);
    expect(table).toMatch(/\nslow\s+llm\s+2\.0 MB\s+no/);
    expect(table).toMatch(/\nstories260k\s+llm/); // the built-in entries are listed too

    const again = captureIo();
    expect(await main(["models", "pull", "tiny", "--json"], env, again.io)).toBe(0);
    expect(JSON.parse(again.out.join("\n"))).toMatchObject({ name: "tiny", downloaded: false });
  });

  it("refuses a file whose sha256 does not match and keeps nothing", async () => {
    const { io, err } = captureIo();
    expect(await main(["models", "pull", "tampered"], env, io)).toBe(1);
    expect(err.at(-1)).toBe(
      `tampered: expected sha256 ${"f".repeat(64)}, got ${sha256Of(tiny)}. The file was discarded.`,
    );
    expect(await storeFiles()).toEqual([]);
  });

  it("names the known models when asked for an unknown one", async () => {
    const { io, err } = captureIo();
    expect(await main(["models", "pull", "no-such-model"], env, io)).toBe(1);
    expect(err.at(-1)).toMatch(
      /^Model "no-such-model" is not in the catalogue\. Known models: .*tiny, tampered, slow\.$/,
    );
  });

  it("goes through the outbound guard: a loopback host needs ORATIO_FETCH_ALLOW", async () => {
    const { io, err } = captureIo();
    expect(await main(["models", "pull", "tiny"], { ...env, ORATIO_FETCH_ALLOW: "" }, io)).toBe(1);
    expect(err.at(-1)).toMatch(/Refused to fetch .*ORATIO_FETCH_ALLOW/);
    expect(await storeFiles()).toEqual([]);
  });

  it("explains usage mistakes and a broken catalogue", async () => {
    const a = captureIo();
    expect(await main(["models"], env, a.io)).toBe(2);
    expect(a.err.join()).toContain("Usage: oratio models");
    const b = captureIo();
    expect(await main(["models", "pull"], env, b.io)).toBe(2);
    const c = captureIo();
    expect(await main(["models", "list", "--bogus"], env, c.io)).toBe(2);
    const d = captureIo();
    expect(
      await main(
        ["models", "catalogue"],
        { ...env, ORATIO_MODEL_CATALOGUE: path.join(work, "nope.json") },
        d.io,
      ),
    ).toBe(1);
    expect(d.err.at(-1)).toMatch(/nope\.json cannot be read \(ENOENT\)/);
    const e = captureIo();
    expect(
      await main(["models", "list"], { ...env, ORATIO_MODELS_DIR: path.join(work, "empty") }, e.io),
    ).toBe(0);
    expect(e.out[0]).toMatch(/^No models in /);
  });
});

describe("progress bar", () => {
  it("redraws one line on a terminal and ends it cleanly", () => {
    const writes: string[] = [];
    const lines: string[] = [];
    let clock = 0;
    const bar = new ProgressBar("tiny", {
      tty: { write: (t) => writes.push(t), columns: 100 },
      line: (l) => lines.push(l),
      now: () => clock,
    });
    for (let i = 1; i <= 10; i++) {
      clock += 50;
      bar.update(i * 100_000, 1_000_000);
    }
    // Throttled to one redraw per 100 ms, and the last update always drawn.
    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(writes.length).toBeLessThan(10);
    expect(writes.every((w) => w.startsWith("\r"))).toBe(true);
    expect(writes.at(-1)).toMatch(/^\rtiny \[#+\] 100% {2}1\.0 MB \/ 1\.0 MB {2}2\.0 MB\/s {2}ETA 0s/);
    expect(writes.at(-1)!.length).toBeLessThan(100);
    bar.finish("done");
    expect(writes.at(-1)).toMatch(/^\r +\r$/);
    expect(lines).toEqual(["done"]);
  });

  it("writes a plain line per 10 % elsewhere", () => {
    const lines: string[] = [];
    const bar = new ProgressBar("m", { line: (l) => lines.push(l), now: () => 0 });
    for (let received = 0; received <= 1000; received += 25) bar.update(received, 1000);
    expect(lines.map((l) => /(\d+)%/.exec(l)![1])).toEqual([
      "0",
      "10",
      "20",
      "30",
      "40",
      "50",
      "60",
      "70",
      "80",
      "90",
      "100",
    ]);
  });
});

/** Runs the real `oratio` executable; resolves with its exit code and output. */
function run(
  args: string[],
  extraEnv: Record<string, string>,
  onStderr?: (text: string, child: ChildProcess) => void,
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("oratio models (the real executable)", () => {
  it("pulls, verifies and lists a model", { timeout: 60_000 }, async () => {
    const pulled = await run(["models", "pull", "tiny"], env);
    expect(pulled.stderr).toMatch(/tiny: 100% \(400\.0 KB \/ 400\.0 KB\)/);
    expect(pulled.stdout).toContain("Saved llm/tiny.gguf");
    expect(pulled.code).toBe(0);
    const listed = await run(["models", "list", "--json"], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).data).toEqual([
      expect.objectContaining({ name: "llm/tiny.gguf", kind: "llm", bytes: tiny.length }),
    ]);
    const unknown = await run(["models", "pull", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Model "nope" is not in the catalogue.');
  });

  it("stops on Ctrl-C, exits 130 and leaves no partial file", { timeout: 60_000 }, async () => {
    let interrupted = false;
    const result = await run(["models", "pull", "slow"], env, (stderr, child) => {
      // Interrupt once some bytes have arrived (the host then stalls mid-file).
      if (!interrupted && /slow: \d+%/.test(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    expect(interrupted).toBe(true);
    expect(result.stderr).toContain("Interrupted; nothing of slow was kept.");
    expect(result.code).toBe(130);
    expect(await storeFiles()).toEqual([]);
  });
});
