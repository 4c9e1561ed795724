/// <reference path="./fvad-wasm.d.ts" />
import { ValidationError } from "@oratio/core";
import { SpeechEngineUnavailableError, type VoiceActivityDetector } from "@oratio/core/speech";

/**
 * WebRTC VAD (libfvad compiled to WebAssembly): no model file, tiny cost, decent on clean
 * audio and noticeably worse than Silero in noise. The zero-download fallback.
 */
export interface WebRtcVadOptions {
  /** 8000, 16000, 32000 or 48000. Default 16000. */
  sampleRate?: number;
  /** 0 (least aggressive, more false speech) … 3 (most aggressive). Default 2. */
  aggressiveness?: 0 | 1 | 2 | 3;
  /** Analysis frame: 10, 20 or 30 ms. Default 20. */
  frameMs?: 10 | 20 | 30;
}

interface FvadModule {
  _fvad_new(): number;
  _fvad_free(handle: number): void;
  _fvad_reset(handle: number): void;
  _fvad_set_mode(handle: number, mode: number): number;
  _fvad_set_sample_rate(handle: number, rate: number): number;
  _fvad_process(handle: number, pointer: number, length: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAP16: Int16Array;
}

let modulePromise: Promise<FvadModule> | undefined;

async function loadFvad(): Promise<FvadModule> {
  modulePromise ??= import("@echogarden/fvad-wasm")
    .then((imported) => (imported.default as () => Promise<FvadModule>)())
    .catch((error: unknown) => {
      modulePromise = undefined;
      throw new SpeechEngineUnavailableError(
        "webrtc-vad",
        "The WebRTC VAD module could not be loaded.",
        "npm install @echogarden/fvad-wasm.",
        { cause: error },
      );
    });
  return modulePromise;
}

export async function createWebRtcVad(options: WebRtcVadOptions = {}): Promise<VoiceActivityDetector> {
  const sampleRate = options.sampleRate ?? 16000;
  const frameMs = options.frameMs ?? 20;
  if (![8000, 16000, 32000, 48000].includes(sampleRate)) {
    throw new ValidationError(`WebRTC VAD runs at 8000, 16000, 32000 or 48000 Hz; got ${sampleRate}.`);
  }
  if (![10, 20, 30].includes(frameMs))
    throw new ValidationError(`WebRTC VAD frames are 10, 20 or 30 ms; got ${frameMs}.`);
  const fvad = await loadFvad();
  const handle = fvad._fvad_new();
  if (handle === 0)
    throw new SpeechEngineUnavailableError(
      "webrtc-vad",
      "WebRTC VAD could not allocate its state.",
      "retry; the process may be out of memory.",
    );
  fvad._fvad_set_sample_rate(handle, sampleRate);
  fvad._fvad_set_mode(handle, options.aggressiveness ?? 2);
  const windowSamples = (sampleRate * frameMs) / 1000;
  const pointer = fvad._malloc(windowSamples * 2);
  return new WebRtcVad(fvad, handle, pointer, sampleRate, windowSamples, options.aggressiveness ?? 2);
}

class WebRtcVad implements VoiceActivityDetector {
  readonly specificationVersion = "v1";
  readonly provider = "webrtc";
  private filled = 0;
  private last = 0;
  private closed = false;

  constructor(
    private readonly fvad: FvadModule,
    private readonly handle: number,
    private readonly pointer: number,
    readonly sampleRate: number,
    readonly windowSamples: number,
    private readonly aggressiveness: number,
  ) {}

  process(samples: Int16Array): number {
    if (this.closed) return 0;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.windowSamples - this.filled, samples.length - offset);
      // HEAP16 is re-read each time: wasm memory growth replaces the view.
      this.fvad.HEAP16.set(samples.subarray(offset, offset + take), (this.pointer >> 1) + this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.windowSamples) {
        const result = this.fvad._fvad_process(this.handle, this.pointer, this.windowSamples);
        this.last = result === 1 ? 1 : 0;
        this.filled = 0;
      }
    }
    return this.last;
  }

  reset(): void {
    this.filled = 0;
    this.last = 0;
    if (this.closed) return;
    // fvad_reset also restores the default mode and rate, so both are set again.
    this.fvad._fvad_reset(this.handle);
    this.fvad._fvad_set_sample_rate(this.handle, this.sampleRate);
    this.fvad._fvad_set_mode(this.handle, this.aggressiveness);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fvad._free(this.pointer);
    this.fvad._fvad_free(this.handle);
  }
}
