import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ProviderError } from "@oratio/core";
import {
  SpeechEngineUnavailableError,
  type SpeechToText,
  type SpeechToTextStreamOptions,
  UtteranceTranscriptionStream,
} from "@oratio/core/speech";
import { pcm16ToFloat32 } from "../audio/pcm.ts";
import { modelsDir } from "../models.ts";

/**
 * Whisper (whisper.cpp through the `@napi-rs/whisper` binding, prebuilt for linux-x64 glibc
 * and macOS) with a ggml model from the model store. Whisper transcribes whole clips, so a
 * stream collects the caller's utterance and transcribes it when the pipeline says the
 * speaker stopped (`flush`/`end`); the model runs in a child process, loaded once per engine.
 */
export interface WhisperOptions {
  /**
   * Model file: a name in the store's `whisper/` folder (`ggml-base.en.bin`), a path inside
   * the store (`stt/ggml-small.bin`), or an absolute path. Default `ggml-base.en.bin`.
   */
  model?: string;
  modelsDir?: string;
  /** Decoder threads. Default 1: on small machines more threads slow every other call. */
  threads?: number;
}

export const WHISPER_DEFAULT_MODEL = "ggml-base.en.bin";
export const WHISPER_INSTALL =
  "npm install @napi-rs/whisper (its prebuilt @napi-rs/whisper-<platform> package must be installed; linux-x64 with glibc and macOS are published).";
const SAMPLE_RATE = 16000;
/** Whisper hallucinates on clips this short; they are treated as noise. */
const MIN_SAMPLES = SAMPLE_RATE / 10;

export interface WhisperSpeechToText extends SpeechToText {
  /** The model file in use. */
  readonly modelPath: string;
  /** Stop the child process and free the model. */
  close(): Promise<void>;
}

/** Where a Whisper model setting points in the store. */
export function whisperModelPath(model: string | undefined, store?: string): string {
  const name = model ?? WHISPER_DEFAULT_MODEL;
  if (path.isAbsolute(name)) return name;
  const relative = /[\\/]/.test(name) ? name : path.join("whisper", name);
  return path.join(modelsDir(store), relative);
}

export async function createWhisperSpeechToText(options: WhisperOptions = {}): Promise<WhisperSpeechToText> {
  const modelPath = whisperModelPath(options.model, options.modelsDir);
  if (!existsSync(modelPath)) {
    throw new SpeechEngineUnavailableError(
      "whisper",
      `The Whisper model file ${modelPath} was not found.`,
      `put a whisper.cpp ggml model (for example ${WHISPER_DEFAULT_MODEL}) at ${modelPath}, or add it to the model catalogue (ORATIO_MODEL_CATALOGUE) and run \`oratio models pull <name>\`; set the agent's voice.stt.model to its file name.`,
    );
  }
  try {
    createRequire(import.meta.url).resolve("@napi-rs/whisper");
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      "whisper",
      "The whisper.cpp binding is not installed.",
      WHISPER_INSTALL,
      { cause: error },
    );
  }
  const worker = await WhisperWorker.start(modelPath);
  const threads = Math.max(1, options.threads ?? 1);
  return {
    specificationVersion: "v1",
    provider: "whisper",
    capabilities: { streaming: false, interimResults: false },
    sampleRate: SAMPLE_RATE,
    modelPath,
    stream: async (streamOptions: SpeechToTextStreamOptions = {}) => {
      streamOptions.signal?.throwIfAborted();
      // whisper.cpp cannot be stopped mid-clip: a closed stream drops the answer.
      const language = streamOptions.language?.split("-")[0]?.toLowerCase() || "en";
      return new UtteranceTranscriptionStream(
        {
          sampleRate: SAMPLE_RATE,
          minSamples: MIN_SAMPLES,
          transcribe: (audio) => worker.transcribe(pcm16ToFloat32(audio), language, threads),
        },
        streamOptions,
      );
    },
    close: () => worker.close(),
  };
}

type Reply = { id: number; text?: string; error?: string };

/** The child process holding the model; only pending work keeps the parent alive. */
class WhisperWorker {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (text: string) => void; reject: (e: unknown) => void }
  >();

  private constructor(
    private readonly child: ChildProcess,
    private readonly stderr: { tail: string },
  ) {
    child.on("message", (message: Reply) => {
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.idle();
      if (message.error === undefined) entry.resolve(message.text ?? "");
      else
        entry.reject(
          new ProviderError("whisper", `Whisper failed: ${message.error}`, { upstreamStatus: 500 }),
        );
    });
    child.on("exit", (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.failAll(
        new ProviderError("whisper", `The Whisper process stopped (${how}). ${this.lastLine()}`.trim()),
      );
    });
  }

  /** Starts the process and waits until the model is loaded (or refused). */
  static start(modelPath: string): Promise<WhisperWorker> {
    const child = fork(fileURLToPath(new URL("./whisper-worker.mjs", import.meta.url)), [modelPath], {
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const stderr = { tail: "" };
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr.tail = (stderr.tail + chunk).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const refused = (reason: string) =>
        new SpeechEngineUnavailableError(
          "whisper",
          `The Whisper model ${modelPath} could not be loaded (${reason}).`,
          "replace it with a whisper.cpp ggml model file (ggml-*.bin).",
        );
      const onMessage = (message: { ready?: true; failed?: string }) => {
        if (message.ready) {
          cleanup();
          const worker = new WhisperWorker(child, stderr);
          worker.idle();
          resolve(worker);
        } else if (message.failed !== undefined) {
          cleanup();
          child.kill("SIGKILL");
          reject(refused(message.failed));
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(refused(signal ? `the loader stopped with ${signal}` : `the loader exited with code ${code}`));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(
          new SpeechEngineUnavailableError(
            "whisper",
            "The Whisper process could not start.",
            WHISPER_INSTALL,
            { cause: error },
          ),
        );
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
        child.off("error", onError);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.on("error", onError);
    });
  }

  transcribe(samples: Float32Array, language: string, threads: number): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.connected) {
        reject(new ProviderError("whisper", `The Whisper process is not running. ${this.lastLine()}`.trim()));
        return;
      }
      this.waiting.set(id, { resolve, reject });
      this.busy();
      this.child.send({ id, samples, language, threads });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }

  private busy(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
  }

  /** An idle engine does not keep the server process alive. */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private lastLine(): string {
    return this.stderr.tail.trim().split("\n").at(-1) ?? "";
  }

  private failAll(error: unknown): void {
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }
}
