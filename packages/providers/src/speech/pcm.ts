/**
 * PCM16 helpers for the cloud speech adapters: vendors send and expect raw little-endian
 * 16-bit mono samples, and network chunks split samples at arbitrary byte boundaries.
 */

/** Turns a byte stream of PCM16 LE into samples, holding an odd trailing byte for the next chunk. */
export class Pcm16Reader {
  private carry: number | undefined;

  read(bytes: Uint8Array): Int16Array {
    let offset = 0;
    const total = bytes.length + (this.carry === undefined ? 0 : 1);
    const out = new Int16Array(Math.floor(total / 2));
    let index = 0;
    if (this.carry !== undefined && bytes.length > 0) {
      out[index++] = toInt16(this.carry | (bytes[0]! << 8));
      offset = 1;
      this.carry = undefined;
    }
    for (; offset + 1 < bytes.length; offset += 2) {
      out[index++] = toInt16(bytes[offset]! | (bytes[offset + 1]! << 8));
    }
    if (offset < bytes.length) this.carry = bytes[offset];
    return out;
  }
}

function toInt16(value: number): number {
  return value >= 0x8000 ? value - 0x10000 : value;
}

/** Little-endian bytes of mono PCM16 samples (a copy, whatever the host byte order). */
export function pcm16Bytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/** A mono PCM16 WAV file (44-byte RIFF header plus the samples). */
export function pcm16Wav(samples: Int16Array, sampleRate: number): Uint8Array {
  const data = pcm16Bytes(samples);
  const out = new Uint8Array(44 + data.length);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + data.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, data.length, true);
  out.set(data, 44);
  return out;
}
