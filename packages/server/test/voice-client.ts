import type { PcmChunk, TranscriptEvent } from "@oratio/core/speech";
import { concatPcm16, createFliteTextToSpeech, createPocketsphinxSpeechToText } from "@oratio/speech";
import WebSocket from "ws";

/**
 * A browser-like client for the voice WebSocket, plus speech helpers for voice tests:
 * flite to speak the caller's words, PocketSphinx to hear what the agent said.
 */
const FRAME_BYTES = 640;

export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}
export function wordOverlap(expected: string, actual: string): number {
  const heard = new Set(words(actual));
  const wanted = words(expected);
  return wanted.filter((w) => heard.has(w)).length / wanted.length;
}
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function synthesize(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const chunks: PcmChunk[] = [];
  for await (const chunk of tts.synthesize(text)) chunks.push(chunk);
  await tts.close();
  return concatPcm16(chunks.map((c) => c.samples));
}

export async function transcribe(samples: Int16Array): Promise<string> {
  const stt = await createPocketsphinxSpeechToText();
  const stream = await stt.stream();
  const texts: string[] = [];
  const collecting = (async () => {
    for await (const event of stream as AsyncIterable<TranscriptEvent>) texts.push(event.text);
  })();
  for (let i = 0; i < samples.length; i += 320) stream.push(samples.subarray(i, i + 320));
  stream.end();
  await collecting;
  return texts.join(" ");
}

// biome-ignore lint/suspicious/noExplicitAny: JSON control events are inspected ad hoc
export type ControlEvent = { type: string; [key: string]: any };

/** A browser-like voice client: sends PCM16 frames, records every event in arrival order. */
export class VoiceClient {
  readonly log: ({ kind: "audio"; bytes: Buffer } | { kind: "event"; event: ControlEvent })[] = [];
  readonly closed: Promise<number>;
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.log.push({ kind: "audio", bytes: data });
      else this.log.push({ kind: "event", event: JSON.parse(data.toString()) });
    });
    this.closed = new Promise((resolve) => socket.on("close", (code) => resolve(code)));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<VoiceClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new VoiceClient(socket);
      socket.once("open", () => resolve(client));
      socket.once("error", reject);
      socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  events(type?: string): ControlEvent[] {
    return this.log.flatMap((e) => (e.kind === "event" && (!type || e.event.type === type) ? [e.event] : []));
  }

  audio(): Int16Array {
    const bytes = Buffer.concat(this.log.flatMap((e) => (e.kind === "audio" ? [e.bytes] : [])));
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  /** Streams audio as 20 ms frames at twice real time. */
  async speak(samples: Int16Array): Promise<void> {
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    for (let offset = 0; offset < bytes.length; offset += FRAME_BYTES) {
      const frame = Buffer.alloc(FRAME_BYTES);
      bytes.copy(frame, 0, offset, Math.min(offset + FRAME_BYTES, bytes.length));
      this.socket.send(frame);
      await sleep(10);
    }
  }

  /**
   * Sends silence (as a microphone does) until `done()`. The limit is wall-clock time and
   * generous: recognising a long utterance on a busy shared machine can take a minute.
   */
  async silenceUntil(done: () => boolean, what: string, timeoutMs = 150_000): Promise<void> {
    const frame = Buffer.alloc(FRAME_BYTES);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (done()) return;
      this.socket.send(frame);
      await sleep(10);
    }
    throw new Error(`Timed out waiting for ${what}`);
  }
}
