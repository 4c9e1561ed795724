/** Types of `capture-worklet.js`, the AudioWorklet module that frames the microphone. */

/** Downsamples float audio to `outputRate` and cuts it into PCM16 frames. */
export declare class CaptureFramer {
  constructor(inputRate: number, outputRate?: number, frameSamples?: number);
  readonly inputRate: number;
  readonly outputRate: number;
  /** Adds input samples; returns the frames they completed. */
  push(input: Float32Array): Int16Array[];
}

/** Float in [-1, 1] → PCM16, clamped. */
export declare function toPcm16(value: number): number;

/** The name the module registers its AudioWorkletProcessor under. */
export declare const CAPTURE_PROCESSOR: "oratio-capture";
