import { createRequire } from "node:module";
import { ValidationError } from "@oratio/core";
import { SpeechEngineUnavailableError, type VoiceActivityDetector } from "@oratio/core/speech";
import { requireModelFile } from "../models.ts";
import { OnnxRuntimeMissingError, sharedSileroRunner } from "./silero-batch.ts";
import { BatchedSileroVad } from "./silero-batched-vad.ts";

/**
 * Silero VAD v5, on one of two runtimes:
 * - `onnxruntime` (default when onnxruntime-node loads): one model shared by every call in
 *   the process, scoring all calls' windows in one batched run (see silero-batch.ts); returns
 *   the raw speech probability, asynchronously when a window completes.
 * - `sherpa-onnx`: a sherpa-onnx-node detector per call, synchronous. sherpa-onnx exposes a
 *   speech/no-speech decision per 512-sample window (not the raw probability), so `process`
 *   returns 0 or 1; its own minimum-speech and minimum-silence smoothing is set to one window
 *   so that turn decisions stay with the Endpointer. Each call holds its own copy of the
 *   model, which costs several times more CPU per window once dozens of calls run.
 */
export type SileroRuntime = "onnxruntime" | "sherpa-onnx";

export interface SileroVadOptions {
  /** Default: `onnxruntime` if onnxruntime-node can be loaded, else `sherpa-onnx`. */
  runtime?: SileroRuntime;
  /** 16000 (default) or 8000. */
  sampleRate?: 8000 | 16000;
  /** Speech probability threshold, 0..1. Default 0.5. */
  threshold?: number;
  /**
   * `onnxruntime` only: windows below this RMS (full scale 1) score 0 without running the
   * model. Default -56 dBFS (`SILERO_DEFAULT_MIN_RMS`); 0 runs the model on every window.
   */
  minRms?: number;
  /** Absolute model path; default `<models dir>/vad/silero_vad.onnx`. */
  modelPath?: string;
  modelsDir?: string;
}

export const SILERO_MODEL_FILE = "vad/silero_vad.onnx";

interface SherpaVad {
  acceptWaveform(samples: Float32Array): void;
  isDetected(): boolean;
  isEmpty(): boolean;
  pop(): void;
  reset(): void;
}

type SherpaModule = { Vad: new (config: object, bufferSeconds: number) => SherpaVad };

let sherpa: SherpaModule | undefined;

function loadSherpa(): SherpaModule {
  if (sherpa) return sherpa;
  try {
    sherpa = createRequire(import.meta.url)("sherpa-onnx-node") as SherpaModule;
    return sherpa;
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      "silero",
      "The sherpa-onnx-node runtime could not be loaded.",
      "npm install sherpa-onnx-node (its prebuilt sherpa-onnx-<platform> package must be present).",
      { cause: error },
    );
  }
}

export async function createSileroVad(options: SileroVadOptions = {}): Promise<VoiceActivityDetector> {
  const sampleRate = options.sampleRate ?? 16000;
  if (sampleRate !== 16000 && sampleRate !== 8000) {
    throw new ValidationError(`Silero VAD runs at 8000 or 16000 Hz; got ${sampleRate}.`);
  }
  const model =
    options.modelPath ??
    requireModelFile("silero", SILERO_MODEL_FILE, "silero-vad", { modelsDir: options.modelsDir });
  if (options.runtime !== "sherpa-onnx") {
    try {
      return new BatchedSileroVad(await sharedSileroRunner(model, sampleRate), options.minRms);
    } catch (error) {
      // Without an explicit choice a missing ONNX Runtime falls back to sherpa-onnx; a model
      // that does not load is reported as it is.
      if (options.runtime === "onnxruntime" || !(error instanceof OnnxRuntimeMissingError)) throw error;
    }
  }
  const { Vad } = loadSherpa();
  const windowSamples = sampleRate === 16000 ? 512 : 256;
  const windowSeconds = windowSamples / sampleRate;
  let native: SherpaVad;
  try {
    native = new Vad(
      {
        sileroVad: {
          model,
          threshold: options.threshold ?? 0.5,
          minSilenceDuration: windowSeconds,
          minSpeechDuration: windowSeconds,
          windowSize: windowSamples,
        },
        sampleRate,
        numThreads: 1,
        debug: false,
      },
      // Seconds of audio sherpa-onnx keeps for the current speech segment (it holds the whole
      // segment until it ends, and grows, with a warning, past this). 10 s covers nearly all
      // uninterrupted speech at 640 KB per detector.
      10,
    );
  } catch (error) {
    throw new SpeechEngineUnavailableError(
      "silero",
      `Could not load the Silero model at ${model}.`,
      "re-pull it with `oratio models pull silero-vad`.",
      { cause: error },
    );
  }
  return new SileroVad(native, sampleRate, windowSamples);
}

class SileroVad implements VoiceActivityDetector {
  readonly specificationVersion = "v1";
  readonly provider = "silero";
  private readonly window: Float32Array;
  private filled = 0;
  private last = 0;
  private closed = false;

  constructor(
    private readonly native: SherpaVad,
    readonly sampleRate: number,
    readonly windowSamples: number,
  ) {
    this.window = new Float32Array(windowSamples);
  }

  process(samples: Int16Array): number {
    if (this.closed) return 0;
    const window = this.window;
    for (let i = 0; i < samples.length; i++) {
      window[this.filled++] = samples[i]! / 32768;
      if (this.filled === window.length) {
        this.native.acceptWaveform(window);
        this.last = this.native.isDetected() ? 1 : 0;
        // Completed segments are of no use here; popping keeps native memory flat.
        while (!this.native.isEmpty()) this.native.pop();
        this.filled = 0;
      }
    }
    return this.last;
  }

  reset(): void {
    this.filled = 0;
    this.last = 0;
    if (!this.closed) this.native.reset();
  }

  close(): void {
    // The native handle is freed by its finaliser; closing only stops further use.
    this.closed = true;
  }
}
