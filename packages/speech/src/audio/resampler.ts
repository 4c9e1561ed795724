import { ValidationError } from "@oratio/core";
import { clampToInt16 } from "./pcm.ts";

/**
 * Streaming polyphase windowed-sinc resampler for rational rate changes (8, 16, 24, 48 kHz
 * and anything whose ratio reduces to small integers). The low-pass cut-off sits just below
 * the lower of the two Nyquist frequencies, so downsampling does not alias.
 *
 * Per output sample it costs `tapsPerPhase` multiply-adds; coefficients are precomputed per
 * instance and the only per-call allocation is the output array.
 */
export interface ResamplerOptions {
  /**
   * Filter length in taps of the lower of the two rates; higher is sharper and slower.
   * Default 24 (about 80 dB stop-band, transition ≈ 20 % of the lower Nyquist).
   */
  tapsPerPhase?: number;
}

const KAISER_BETA = 8;

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Upsampling factor L and downsampling factor M of the reduced ratio L/M. */
  private readonly up: number;
  private readonly down: number;
  private readonly taps: number;
  /** Coefficients by phase: phase p's taps live at [p * taps, (p + 1) * taps). */
  private readonly coefficients: Float32Array;
  /** Last `taps - 1` input samples followed by the current input. */
  private history: Float32Array;
  private historyLength: number;
  /** Position of the next output sample on the upsampled time grid, relative to history[0]. */
  private position: number;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new ValidationError(`Sample rates must be positive integers; got ${inputRate} → ${outputRate}.`);
    }
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    if (this.up > 64 || this.down > 64) {
      throw new ValidationError(`Unsupported sample rate ratio ${inputRate} → ${outputRate}.`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    // The filter must span the same time at the lower rate whatever the ratio, so each
    // branch gets more taps when decimating by a large factor.
    this.taps = Math.ceil(((options.tapsPerPhase ?? 24) * Math.max(this.up, this.down)) / this.up);
    this.coefficients = designFilter(this.up, this.down, this.taps);
    this.history = new Float32Array(this.taps - 1 + 4096);
    this.historyLength = this.taps - 1;
    this.position = (this.taps - 1) * this.up;
  }

  /** Samples of delay the filter adds, in output samples. */
  get latencySamples(): number {
    return Math.round(((this.taps / 2) * this.outputRate) / this.inputRate);
  }

  /** Resample one chunk; state carries over to the next call. */
  process(input: Int16Array): Int16Array {
    if (this.up === this.down) return input.slice();
    this.append(input);
    const { up, down, taps, coefficients, history } = this;
    const available = this.historyLength;
    // Output n needs input up to index floor(position / up); it is ready once that exists.
    const count = Math.max(0, Math.floor((available * up - 1 - this.position) / down) + 1);
    const out = new Int16Array(count);
    let position = this.position;
    for (let n = 0; n < count; n++) {
      const newest = Math.floor(position / up);
      const phase = position - newest * up;
      const base = phase * taps;
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += coefficients[base + k]! * history[newest - k]!;
      out[n] = clampToInt16(sum);
      position += down;
    }
    this.position = position;
    this.discardConsumed();
    return out;
  }

  reset(): void {
    this.history.fill(0);
    this.historyLength = this.taps - 1;
    this.position = (this.taps - 1) * this.up;
  }

  private append(input: Int16Array): void {
    const needed = this.historyLength + input.length;
    if (needed > this.history.length) {
      const grown = new Float32Array(needed * 2);
      grown.set(this.history.subarray(0, this.historyLength));
      this.history = grown;
    }
    for (let i = 0; i < input.length; i++) this.history[this.historyLength + i] = input[i]!;
    this.historyLength = needed;
  }

  /** Keep only the samples future outputs can still reach (the last `taps - 1` before `position`). */
  private discardConsumed(): void {
    const nextNewest = Math.floor(this.position / this.up);
    const keepFrom = Math.max(0, nextNewest - (this.taps - 1));
    if (keepFrom === 0) return;
    this.history.copyWithin(0, keepFrom, this.historyLength);
    this.historyLength -= keepFrom;
    this.position -= keepFrom * this.up;
  }
}

/** Resample a whole buffer at once (files, tests); streaming callers keep a Resampler. */
export function resample(input: Int16Array, inputRate: number, outputRate: number): Int16Array {
  if (inputRate === outputRate) return input.slice();
  const resampler = new Resampler(inputRate, outputRate);
  // Push silence after the input so the filter's delay line empties into the output.
  const tail = new Int16Array(Math.ceil(resampler.latencySamples * (inputRate / outputRate)) + 2);
  const head = resampler.process(input);
  const rest = resampler.process(tail);
  const delay = resampler.latencySamples;
  const expected = Math.round((input.length * outputRate) / inputRate);
  const joined = new Int16Array(head.length + rest.length);
  joined.set(head);
  joined.set(rest, head.length);
  return joined.slice(delay, delay + expected);
}

function designFilter(up: number, down: number, taps: number): Float32Array {
  const length = up * taps;
  // Cut-off relative to the upsampled rate: below both the input and output Nyquist.
  const cutoff = (0.9 * 0.5) / Math.max(up, down);
  const center = (length - 1) / 2;
  const prototype = new Float64Array(length);
  const denominator = besselI0(KAISER_BETA);
  for (let i = 0; i < length; i++) {
    const t = i - center;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const ratio = (2 * i) / (length - 1) - 1;
    const window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / denominator;
    prototype[i] = sinc * window;
  }
  // Split into polyphase branches; each branch is scaled so DC passes at unity gain.
  const coefficients = new Float32Array(length);
  for (let phase = 0; phase < up; phase++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) sum += prototype[phase + k * up]!;
    for (let k = 0; k < taps; k++) {
      coefficients[phase * taps + k] = sum === 0 ? 0 : prototype[phase + k * up]! / sum;
    }
  }
  return coefficients;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 32; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
