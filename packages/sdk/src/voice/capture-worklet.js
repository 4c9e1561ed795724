/*
 * Microphone capture for Oratio voice calls, run on the audio rendering thread as an
 * AudioWorklet module. Plain JavaScript with no imports, because it is loaded by URL
 * (`audioWorklet.addModule`) as it is, in every bundler and in development servers alike.
 *
 * It turns the microphone's float samples at the AudioContext rate (44.1 or 48 kHz
 * usually) into 20 ms frames of mono PCM16 at 16 kHz and posts each frame's ArrayBuffer
 * to the main thread, which only forwards it to the WebSocket. Doing the work here keeps
 * capture steady when the page's main thread is busy rendering.
 *
 * `CaptureFramer` is exported so the same code is unit-tested outside a browser.
 */

/**
 * Downsamples a float stream to `outputRate` and cuts it into PCM16 frames.
 * A windowed-sinc low-pass at the input rate removes what would alias above the output
 * Nyquist frequency; output samples are read off the filtered signal at fractional
 * positions by linear interpolation, so any input rate works (44.1 kHz included).
 */
export class CaptureFramer {
  /**
   * @param {number} inputRate samples per second coming in
   * @param {number} outputRate samples per second going out (16000)
   * @param {number} frameSamples samples per frame at outputRate (320 = 20 ms)
   */
  constructor(inputRate, outputRate = 16000, frameSamples = 320) {
    if (!(inputRate > 0) || !(outputRate > 0) || !(frameSamples > 0)) {
      throw new RangeError(`Bad capture rates ${inputRate} → ${outputRate} / ${frameSamples}.`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.step = inputRate / outputRate;
    this.taps = inputRate > outputRate ? lowPass(inputRate, outputRate) : new Float32Array([1]);
    // Newest input sample at history[(head - 1) mod length].
    this.history = new Float32Array(this.taps.length);
    this.head = 0;
    // Index of the next input sample, and the input position of the next output sample.
    this.inputIndex = 0;
    // The filter delays the signal by half its length; starting there keeps output aligned.
    this.nextPosition = (this.taps.length - 1) / 2;
    this.previous = 0;
    this.frame = new Int16Array(frameSamples);
    this.filled = 0;
  }

  /**
   * Adds input samples; returns the frames completed by them (each a fresh Int16Array).
   * @param {Float32Array} input
   * @returns {Int16Array[]}
   */
  push(input) {
    const frames = [];
    const { taps, history } = this;
    const length = taps.length;
    for (let i = 0; i < input.length; i++) {
      history[this.head] = input[i];
      this.head = (this.head + 1) % length;
      let filtered = 0;
      // taps[0] applies to the newest sample; the filter is symmetric, so order is moot.
      for (let k = 0, index = this.head - 1; k < length; k++, index--) {
        if (index < 0) index += length;
        filtered += taps[k] * history[index];
      }
      const current = this.inputIndex;
      this.inputIndex += 1;
      // Output samples whose position lies in (current - 1, current].
      while (this.nextPosition <= current) {
        const fraction = 1 - (current - this.nextPosition);
        const value = this.previous + (filtered - this.previous) * fraction;
        this.frame[this.filled++] = toPcm16(value);
        if (this.filled === this.frame.length) {
          frames.push(this.frame);
          this.frame = new Int16Array(this.frame.length);
          this.filled = 0;
        }
        this.nextPosition += this.step;
      }
      this.previous = filtered;
    }
    return frames;
  }
}

/** Float in [-1, 1] → PCM16, clamped (a hot microphone must not wrap around). */
export function toPcm16(value) {
  if (Number.isNaN(value)) return 0;
  const clamped = Math.min(1, Math.max(-1, value));
  return Math.round(clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff);
}

/**
 * Blackman-windowed sinc low-pass at `inputRate`, cut off at 90 % of the output Nyquist
 * frequency (-6 dB at 7.2 kHz for 16 kHz output), normalised to unity gain. Sixteen taps
 * per unit of decimation (49 for 48 → 16 kHz) put 9 kHz, which would fold onto 7 kHz, at
 * -33 dB and 10 kHz and up below -75 dB; that is about 6,000 multiply-adds per 128-sample
 * render quantum.
 */
function lowPass(inputRate, outputRate) {
  const ratio = inputRate / outputRate;
  const count = 2 * Math.ceil(8 * ratio) + 1;
  const cutoff = (0.9 * outputRate) / 2 / inputRate; // cycles per input sample
  const taps = new Float32Array(count);
  const middle = (count - 1) / 2;
  let sum = 0;
  for (let n = 0; n < count; n++) {
    const x = n - middle;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const window =
      0.42 -
      0.5 * Math.cos((2 * Math.PI * n) / (count - 1)) +
      0.08 * Math.cos((4 * Math.PI * n) / (count - 1));
    taps[n] = sinc * window;
    sum += taps[n];
  }
  for (let n = 0; n < count; n++) taps[n] /= sum;
  return taps;
}

export const CAPTURE_PROCESSOR = "oratio-capture";

// Only inside an AudioWorkletGlobalScope: elsewhere (tests) the module just exports the framer.
if (typeof registerProcessor === "function" && typeof AudioWorkletProcessor === "function") {
  class CaptureProcessor extends AudioWorkletProcessor {
    constructor(options) {
      super();
      const settings = options?.processorOptions ?? {};
      // `sampleRate` is the AudioContext's rate, a global of the worklet scope.
      this.framer = new CaptureFramer(sampleRate, settings.outputRate ?? 16000, settings.frameSamples ?? 320);
      this.stopped = false;
      this.port.onmessage = (event) => {
        if (event.data?.type === "stop") this.stopped = true;
      };
    }

    process(inputs) {
      if (this.stopped) return false;
      const channels = inputs[0];
      // No input yet (the track is still starting, or was stopped): nothing to frame.
      if (!channels || channels.length === 0) return true;
      let mono = channels[0];
      if (channels.length > 1) {
        mono = new Float32Array(mono.length);
        for (const channel of channels)
          for (let i = 0; i < mono.length; i++) mono[i] += channel[i] / channels.length;
      }
      for (const frame of this.framer.push(mono)) this.port.postMessage(frame.buffer, [frame.buffer]);
      return true;
    }
  }
  registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
}
