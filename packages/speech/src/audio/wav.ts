import { UnprocessableError } from "@oratio/core";
import { alawToPcm16, mulawToPcm16 } from "./g711.ts";

/**
 * RIFF/WAVE read and write for PCM16 mono or stereo. Reading also accepts 8-bit μ-law and
 * A-law (telephony recordings), WAVE_FORMAT_EXTENSIBLE headers and unknown chunks such as
 * LIST or fact, which are skipped.
 */
export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** PCM16 samples, interleaved when `channels` is 2. */
  samples: Int16Array;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

export function readWav(data: Uint8Array): WavAudio {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < 12 || tag(view, 0) !== "RIFF" || tag(view, 8) !== "WAVE") {
    throw new UnprocessableError("Not a WAV file: the RIFF/WAVE header is missing.");
  }
  let format: { code: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let offset = 12;
  while (offset + 8 <= data.byteLength) {
    const id = tag(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > data.byteLength)
        throw new UnprocessableError("WAV fmt chunk is truncated.");
      let code = view.getUint16(body, true);
      if (code === FORMAT_EXTENSIBLE && size >= 26) code = view.getUint16(body + 24, true);
      format = {
        code,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!format) throw new UnprocessableError("WAV data chunk comes before its fmt chunk.");
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || body + size > data.byteLength ? data.byteLength : body + size;
      return decodeData(data.subarray(body, end), format);
    }
    offset = body + size + (size % 2);
  }
  throw new UnprocessableError("WAV file has no data chunk.");
}

export function writeWav(audio: WavAudio): Uint8Array {
  if (audio.channels !== 1 && audio.channels !== 2) {
    throw new UnprocessableError(`WAV writing supports 1 or 2 channels; got ${audio.channels}.`);
  }
  const dataBytes = audio.samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  writeTag(view, 0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  writeTag(view, 8, "WAVE");
  writeTag(view, 12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, audio.channels, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * audio.channels * 2, true);
  view.setUint16(32, audio.channels * 2, true);
  view.setUint16(34, 16, true);
  writeTag(view, 36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < audio.samples.length; i++) view.setInt16(44 + i * 2, audio.samples[i]!, true);
  return out;
}

function decodeData(
  bytes: Uint8Array,
  format: { code: number; channels: number; sampleRate: number; bitsPerSample: number },
): WavAudio {
  const { code, channels, sampleRate, bitsPerSample } = format;
  if (channels < 1 || channels > 2) {
    throw new UnprocessableError(`WAV files with ${channels} channels are not supported (1 or 2).`);
  }
  if (sampleRate <= 0) throw new UnprocessableError("WAV sample rate is zero.");
  if (code === FORMAT_PCM && bitsPerSample === 16) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = Math.floor(bytes.byteLength / 2 / channels) * channels;
    const samples = new Int16Array(count);
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
    return { sampleRate, channels, samples };
  }
  if ((code === FORMAT_MULAW || code === FORMAT_ALAW) && bitsPerSample === 8) {
    const whole = bytes.subarray(0, Math.floor(bytes.byteLength / channels) * channels);
    const samples = code === FORMAT_MULAW ? mulawToPcm16(whole) : alawToPcm16(whole);
    return { sampleRate, channels, samples };
  }
  throw new UnprocessableError(
    `Unsupported WAV encoding (format ${code}, ${bitsPerSample} bits); use 16-bit PCM, μ-law or A-law.`,
  );
}

function tag(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

function writeTag(view: DataView, offset: number, value: string): void {
  for (let i = 0; i < 4; i++) view.setUint8(offset + i, value.charCodeAt(i));
}
