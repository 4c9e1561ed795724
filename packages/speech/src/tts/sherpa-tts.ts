import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ProviderError } from "@oratio/core";
import {
  type PcmChunk,
  SpeechEngineUnavailableError,
  type SynthesizeOptions,
  type TextToSpeech,
  type TextToSpeechVoice,
} from "@oratio/core/speech";
import { float32ToPcm16 } from "../audio/pcm.ts";
import { modelsDir } from "../models.ts";
import { SentenceChunker } from "../text/sentence-chunker.ts";

/**
 * Piper (VITS) and Kokoro voices run by sherpa-onnx's offline TTS, with models from the store
 * in the layout sherpa-onnx publishes them: `tts/piper/<voice>/` holding the voice's `.onnx`,
 * `tokens.txt` and `espeak-ng-data/`, and `tts/kokoro/<model>/` holding `model.onnx`,
 * `voices.bin`, `tokens.txt` and `espeak-ng-data/`. Text is synthesised a sentence at a time
 * (sherpa-onnx generates on its own thread), and each sentence is yielded when ready.
 */
export type SherpaVoiceFamily = "piper" | "kokoro";

export interface SherpaTextToSpeechOptions {
  /** Folder name under `tts/<family>/`, or an absolute folder. */
  model?: string;
  modelsDir?: string;
  /** Default speaker: a number, or (Kokoro v0.19) a name such as `af_bella`. */
  voice?: string;
  /** Inference threads. Default 1. */
  threads?: number;
}

export const PIPER_DEFAULT_MODEL = "en_US-amy-low";
export const KOKORO_DEFAULT_MODEL = "kokoro-en-v0_19";
/** Speaker names of kokoro-en-v0_19, in speaker-id order. */
export const KOKORO_V019_SPEAKERS = [
  "af",
  "af_bella",
  "af_nicole",
  "af_sarah",
  "af_sky",
  "am_adam",
  "am_michael",
  "bf_emma",
  "bf_isabella",
  "bm_george",
  "bm_lewis",
] as const;

export interface SherpaTextToSpeech extends TextToSpeech {
  readonly modelDir: string;
}

interface SherpaTts {
  readonly sampleRate: number;
  readonly numSpeakers: number;
  generateAsync(request: {
    text: string;
    sid: number;
    speed: number;
    onProgress?: (info: { samples: Float32Array; progress: number }) => number;
  }): Promise<{ samples: Float32Array; sampleRate: number }>;
}
type SherpaModule = { OfflineTts: { createAsync(config: object): Promise<SherpaTts> } };

export function sherpaModelDir(family: SherpaVoiceFamily, model: string | undefined, store?: string): string {
  const name = model ?? (family === "piper" ? PIPER_DEFAULT_MODEL : KOKORO_DEFAULT_MODEL);
  return path.isAbsolute(name) ? name : path.join(modelsDir(store), "tts", family, name);
}

export function createPiperTextToSpeech(
  options: SherpaTextToSpeechOptions = {},
): Promise<SherpaTextToSpeech> {
  return createSherpaTextToSpeech("piper", options);
}

export function createKokoroTextToSpeech(
  options: SherpaTextToSpeechOptions = {},
): Promise<SherpaTextToSpeech> {
  return createSherpaTextToSpeech("kokoro", options);
}

async function createSherpaTextToSpeech(
  family: SherpaVoiceFamily,
  options: SherpaTextToSpeechOptions,
): Promise<SherpaTextToSpeech> {
  const modelDir = sherpaModelDir(family, options.model, options.modelsDir);
  const config = family === "piper" ? piperConfig(modelDir) : kokoroConfig(modelDir);
  const sherpa = loadSherpa(family);
  let tts: SherpaTts;
  try {
    tts = await sherpa.OfflineTts.createAsync({
      model: { ...config, numThreads: Math.max(1, options.threads ?? 1), provider: "cpu", debug: 0 },
      maxNumSentences: 1,
    });
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      family,
      `The ${family} model in ${modelDir} could not be loaded (${(error as Error).message}).`,
      `replace it with ${archiveOf(family, path.basename(modelDir))} from sherpa-onnx's tts-models release.`,
      { cause: error },
    );
  }
  const voices: TextToSpeechVoice[] = Array.from({ length: tts.numSpeakers }, (_, sid) => ({
    id:
      family === "kokoro" && tts.numSpeakers === KOKORO_V019_SPEAKERS.length
        ? KOKORO_V019_SPEAKERS[sid]!
        : String(sid),
    language: "en",
  }));
  const defaultSid = speakerId(family, options.voice, tts.numSpeakers);
  // One engine may serve several calls; sentences are generated one at a time, in order.
  let turn: Promise<unknown> = Promise.resolve();
  const serialized: SherpaTts["generateAsync"] = (request) => {
    const next = turn.then(() => tts.generateAsync(request));
    turn = next.catch(() => {});
    return next;
  };
  const engine: SherpaTts = {
    sampleRate: tts.sampleRate,
    numSpeakers: tts.numSpeakers,
    generateAsync: serialized,
  };
  return {
    specificationVersion: "v1",
    provider: family,
    sampleRate: tts.sampleRate,
    voices,
    modelDir,
    synthesize: (text, synth = {}) => synthesize(family, engine, text, defaultSid, synth),
  };
}

async function* synthesize(
  family: SherpaVoiceFamily,
  tts: SherpaTts,
  text: string,
  defaultSid: number,
  options: SynthesizeOptions,
): AsyncGenerator<PcmChunk> {
  const sid = options.voice === undefined ? defaultSid : speakerId(family, options.voice, tts.numSpeakers);
  const speed = options.speed ?? 1;
  const chunker = new SentenceChunker({ firstClauseMinChars: Number.POSITIVE_INFINITY });
  const sentences = chunker.push(text);
  const rest = chunker.flush();
  if (rest) sentences.push(rest);
  for (const sentence of sentences) {
    options.signal?.throwIfAborted();
    // Returning 0 from the progress callback stops sherpa-onnx mid-sentence on abort.
    const audio = await tts.generateAsync({
      text: sentence,
      sid,
      speed,
      onProgress: () => (options.signal?.aborted ? 0 : 1),
    });
    options.signal?.throwIfAborted();
    if (audio.samples.length > 0)
      yield { samples: float32ToPcm16(audio.samples), sampleRate: audio.sampleRate };
  }
}

function speakerId(family: SherpaVoiceFamily, voice: string | undefined, speakers: number): number {
  if (voice === undefined || voice === "") return 0;
  const named =
    family === "kokoro" ? KOKORO_V019_SPEAKERS.indexOf(voice as (typeof KOKORO_V019_SPEAKERS)[number]) : -1;
  const sid = named >= 0 ? named : /^\d+$/.test(voice) ? Number(voice) : Number.NaN;
  if (!(sid >= 0 && sid < speakers)) {
    const names =
      family === "kokoro" && speakers === KOKORO_V019_SPEAKERS.length
        ? ` (${KOKORO_V019_SPEAKERS.join(", ")})`
        : "";
    throw new ProviderError(
      family,
      `Unknown ${family} voice "${voice}"; this model has speakers 0–${speakers - 1}${names}.`,
      {
        upstreamStatus: 400,
      },
    );
  }
  return sid;
}

function piperConfig(dir: string): object {
  const model = existsSync(dir) ? readdirSync(dir).find((file) => file.endsWith(".onnx")) : undefined;
  requireFiles("piper", dir, model ? [model, "tokens.txt", "espeak-ng-data"] : ["<voice>.onnx"]);
  return {
    vits: {
      model: path.join(dir, model!),
      tokens: path.join(dir, "tokens.txt"),
      dataDir: path.join(dir, "espeak-ng-data"),
      lexicon: "",
    },
  };
}

function kokoroConfig(dir: string): object {
  requireFiles("kokoro", dir, ["model.onnx", "voices.bin", "tokens.txt", "espeak-ng-data"]);
  // Multilingual Kokoro releases add lexicons; the English-only ones need none.
  const lexicons = readdirSync(dir).filter((file) => /^lexicon.*\.txt$/.test(file));
  return {
    kokoro: {
      model: path.join(dir, "model.onnx"),
      voices: path.join(dir, "voices.bin"),
      tokens: path.join(dir, "tokens.txt"),
      dataDir: path.join(dir, "espeak-ng-data"),
      lexicon: lexicons.map((file) => path.join(dir, file)).join(","),
    },
  };
}

function requireFiles(family: SherpaVoiceFamily, dir: string, files: string[]): void {
  const missing = files.filter((file) => file.startsWith("<") || !existsSync(path.join(dir, file)));
  if (missing.length === 0) return;
  const name = path.basename(dir);
  throw new SpeechEngineUnavailableError(
    family,
    `The ${family} model "${name}" is not in the model store: ${dir} lacks ${missing.join(", ")}.`,
    `download ${archiveOf(family, name)} from sherpa-onnx's tts-models release and unpack its contents into ${dir} (or set ORATIO_MODELS_DIR to a store that has tts/${family}/${name}/); the agent's voice.tts.model names the folder.`,
  );
}

/** The name sherpa-onnx publishes a voice under. */
function archiveOf(family: SherpaVoiceFamily, name: string): string {
  return family === "piper" ? `vits-piper-${name}.tar.bz2` : `${name}.tar.bz2`;
}

let sherpa: SherpaModule | undefined;

function loadSherpa(family: SherpaVoiceFamily): SherpaModule {
  if (sherpa) return sherpa;
  try {
    sherpa = createRequire(import.meta.url)("sherpa-onnx-node") as SherpaModule;
    return sherpa;
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      family,
      "The sherpa-onnx-node runtime could not be loaded.",
      "npm install sherpa-onnx-node (its prebuilt sherpa-onnx-<platform> package must be present).",
      { cause: error },
    );
  }
}
