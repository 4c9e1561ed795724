import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ProviderError } from "@oratio/core";
import {
  AsyncQueue,
  SpeechEngineUnavailableError,
  type SpeechToText,
  type SpeechToTextStream,
  type SpeechToTextStreamOptions,
  type TranscriptEvent,
  type TranscriptWord,
} from "@oratio/core/speech";
import { findExecutable } from "../util/which.ts";

/**
 * CMU PocketSphinx (Debian's `pocketsphinx` + `pocketsphinx-en-us`) as a streaming
 * recogniser: one `pocketsphinx_continuous` child per stream reads raw 16 kHz PCM16 from
 * stdin, segments utterances with its own silence detector and prints one line per
 * utterance, followed by word timings. No model download; English only; final results only.
 */
export interface PocketsphinxOptions {
  /** Executable name or path. Default `pocketsphinx_continuous`. */
  command?: string;
  /** Folder with `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
}

export const POCKETSPHINX_INSTALL = "apt-get install pocketsphinx pocketsphinx-en-us";
const DEFAULT_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";
const SAMPLE_RATE = 16000;
/** The recogniser reads input in blocks of this many samples. */
const READ_BLOCK = 2048;
/** Enough trailing silence for its detector to close an utterance (it waits 0.5 s). */
const FLUSH_SILENCE_SAMPLES = 12000;

export async function createPocketsphinxSpeechToText(
  options: PocketsphinxOptions = {},
): Promise<SpeechToText> {
  const command = options.command ?? "pocketsphinx_continuous";
  const executable = await findExecutable(command);
  if (!executable) {
    throw new SpeechEngineUnavailableError(
      "pocketsphinx",
      `The ${command} program was not found on PATH.`,
      POCKETSPHINX_INSTALL,
    );
  }
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const model = {
    hmm: path.join(modelDir, "en-us"),
    lm: path.join(modelDir, "en-us.lm.bin"),
    dict: path.join(modelDir, "cmudict-en-us.dict"),
  };
  for (const file of Object.values(model)) {
    if (!existsSync(file)) {
      throw new SpeechEngineUnavailableError(
        "pocketsphinx",
        `The PocketSphinx English model file ${file} is missing.`,
        POCKETSPHINX_INSTALL,
      );
    }
  }
  const args = [
    "-infile",
    "/dev/stdin",
    "-logfn",
    "/dev/null",
    "-time",
    "yes",
    "-samprate",
    String(SAMPLE_RATE),
  ];
  args.push("-hmm", model.hmm, "-lm", model.lm, "-dict", model.dict);
  return {
    specificationVersion: "v1",
    provider: "pocketsphinx",
    capabilities: { streaming: true, interimResults: false },
    sampleRate: SAMPLE_RATE,
    stream: async (streamOptions: SpeechToTextStreamOptions = {}) =>
      openStream(executable, args, streamOptions),
  };
}

function openStream(
  executable: string,
  args: string[],
  options: SpeechToTextStreamOptions,
): SpeechToTextStream {
  options.signal?.throwIfAborted();
  // Node's stdio "pipes" are socket pairs, and the recogniser's fopen("/dev/stdin") fails
  // on a socket; `cat` turns the socket into a real pipe. The child leads its own process
  // group so close() can stop both processes at once.
  const child = spawn("/bin/sh", ["-c", 'cat | "$0" "$@"', executable, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  return new PocketsphinxStream(child, options.signal);
}

class PocketsphinxStream implements SpeechToTextStream {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private samplesWritten = 0;
  private inputEnded = false;
  private closed = false;
  private stdoutRest = "";
  private stderrTail = "";
  private pending: { text: string; words: TranscriptWord[] } | undefined;
  private readonly onAbort = () => this.close();

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.readOutput(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    // A closed stdin after close()/exit must not crash the process.
    child.stdin.on("error", () => {});
    child.on("error", (error) => {
      this.finish(
        new SpeechEngineUnavailableError(
          "pocketsphinx",
          "pocketsphinx could not be started.",
          POCKETSPHINX_INSTALL,
          { cause: error },
        ),
      );
    });
    child.on("close", (code, signalName) => {
      this.readOutput("\n");
      if (this.closed || code === 0) this.finish();
      else {
        const how = code === null ? `signal ${signalName}` : `code ${code}`;
        this.finish(
          new ProviderError("pocketsphinx", `pocketsphinx exited with ${how}: ${this.stderrTail.trim()}`),
        );
      }
    });
  }

  push(samples: Int16Array): void {
    if (this.inputEnded || this.closed) return;
    this.samplesWritten += samples.length;
    this.child.stdin.write(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  }

  flush(): void {
    if (this.inputEnded || this.closed) return;
    // The recogniser has no "finalise now" command: feed the trailing silence its detector
    // waits for, rounded up to its read block so every sample is consumed. A little noise
    // (±2 LSB) rather than digital zero, which its noise-floor tracking does not expect.
    let count = FLUSH_SILENCE_SAMPLES;
    count += (READ_BLOCK - ((this.samplesWritten + count) % READ_BLOCK)) % READ_BLOCK;
    const silence = new Int16Array(count);
    for (let i = 0; i < count; i++) silence[i] = ((i * 2654435761) >>> 30) - 2;
    this.push(silence);
  }

  end(): void {
    if (this.inputEnded || this.closed) return;
    this.inputEnded = true;
    this.child.stdin.end();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.inputEnded = true;
    this.child.stdin.destroy();
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private readOutput(chunk: string): void {
    const lines = (this.stdoutRest + chunk).split("\n");
    this.stdoutRest = lines.pop() ?? "";
    for (const line of lines) this.readLine(line.trimEnd());
    // An utterance's text and its word timings arrive in one write; emit once it is read.
    this.emitPending();
  }

  private readLine(line: string): void {
    if (line.length === 0) return;
    const timing = /^(\S+) (\d+\.\d+) (\d+\.\d+) (-?\d+(?:\.\d+)?)$/.exec(line);
    if (timing && this.pending) {
      const token = timing[1]!.replace(/\(\d+\)$/, "");
      if (/^[<[]/.test(token) || token.startsWith("++")) return; // <s>, </s>, <sil>, [NOISE]
      this.pending.words.push({
        word: token,
        startMs: Math.round(Number(timing[2]) * 1000),
        endMs: Math.round(Number(timing[3]) * 1000),
      });
      return;
    }
    if (timing) return;
    this.emitPending();
    this.pending = { text: line.trim(), words: [] };
  }

  private emitPending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const first = pending.words[0];
    const last = pending.words.at(-1);
    this.events.push({
      type: "final",
      text: pending.text,
      ...(first && last ? { startMs: first.startMs, endMs: last.endMs } : {}),
      words: pending.words,
    });
  }

  private finish(error?: unknown): void {
    this.signal?.removeEventListener("abort", this.onAbort);
    this.events.end(error);
  }
}
