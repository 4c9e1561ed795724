import { ProviderError } from "@oratio/core";
import type {
  SpeechToText,
  SpeechToTextStream,
  SpeechToTextStreamOptions,
  TranscriptEvent,
  TranscriptWord,
} from "@oratio/core/speech";
import { AsyncQueue } from "@oratio/core/speech";
import { networkError } from "./http.ts";
import { pcm16Bytes } from "./pcm.ts";

/**
 * Deepgram live transcription over its WebSocket (`/v1/listen`): raw linear16 audio goes up
 * as binary frames, `Results` messages come back with interim (`is_final: false`) and final
 * transcripts. `Finalize` flushes what the server holds, `CloseStream` asks for the last
 * results and a clean close, `KeepAlive` holds an idle connection open (the pipeline opens
 * the next utterance's stream ahead of time, and Deepgram drops a socket after 10 s without
 * audio).
 */

/** The WebSocket surface used here; the server passes the outbound-guarded opener. */
export interface SpeechSocket {
  readonly readyState: number;
  binaryType: string;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

export type SpeechSocketOpener = (
  url: string,
  options: { headers: Record<string, string> },
) => Promise<SpeechSocket>;

export interface DeepgramSpeechToTextOptions {
  apiKey: string;
  /** `https://api.deepgram.com` by default; an http(s) base is turned into ws(s). */
  baseUrl?: string;
  openWebSocket: SpeechSocketOpener;
  /** Default `nova-3`. */
  model?: string;
  /** Rate of the audio the stream is given. Default 16000. */
  sampleRate?: 8000 | 16000;
  /** Longest wait for the socket to open. Default 10 s. */
  connectTimeoutMs?: number;
  /** Idle time after which a KeepAlive is sent. Default 4 s (Deepgram closes at 10 s). */
  keepAliveMs?: number;
}

const OPEN = 1;

export function createDeepgramSpeechToText(options: DeepgramSpeechToTextOptions): SpeechToText {
  const sampleRate = options.sampleRate ?? 16000;
  return {
    specificationVersion: "v1",
    provider: "deepgram",
    capabilities: { streaming: true, interimResults: true },
    sampleRate,
    stream: (streamOptions: SpeechToTextStreamOptions = {}) => openStream(options, sampleRate, streamOptions),
  };
}

export function deepgramListenUrl(baseUrl: string, params: Record<string, string>): string {
  const url = new URL("/v1/listen", baseUrl);
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

async function openStream(
  options: DeepgramSpeechToTextOptions,
  sampleRate: number,
  streamOptions: SpeechToTextStreamOptions,
): Promise<SpeechToTextStream> {
  streamOptions.signal?.throwIfAborted();
  const params: Record<string, string> = {
    encoding: "linear16",
    sample_rate: String(sampleRate),
    channels: "1",
    model: options.model ?? "nova-3",
    interim_results: "true",
    punctuate: "true",
  };
  if (streamOptions.language) params.language = streamOptions.language;
  const url = deepgramListenUrl(options.baseUrl ?? "https://api.deepgram.com", params);
  let socket: SpeechSocket;
  try {
    socket = await options.openWebSocket(url, { headers: { authorization: `Token ${options.apiKey}` } });
  } catch (error) {
    throw networkError("deepgram", error, streamOptions.signal);
  }
  socket.binaryType = "arraybuffer";
  await whenOpen(socket, options.connectTimeoutMs ?? 10_000, streamOptions.signal);
  return new DeepgramStream(socket, options.keepAliveMs ?? 4000, streamOptions.signal);
}

function whenOpen(socket: SpeechSocket, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else {
        socket.close();
        reject(error);
      }
    };
    const onAbort = () => settle(signal?.reason);
    const timer = setTimeout(
      () => settle(new ProviderError("deepgram", `Deepgram did not answer within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.addEventListener("open", () => settle());
    // A refused handshake (bad key: 401, unknown model: 400) surfaces only as a close here.
    const refused = () =>
      settle(
        new ProviderError(
          "deepgram",
          "Deepgram refused the connection; check the provider's API key, the model and the language.",
          { upstreamStatus: 401 },
        ),
      );
    socket.addEventListener("error", refused);
    socket.addEventListener("close", refused);
  });
}

interface DeepgramResults {
  type: "Results";
  is_final?: boolean;
  start?: number;
  duration?: number;
  channel?: {
    alternatives?: {
      transcript?: string;
      confidence?: number;
      words?: { word: string; punctuated_word?: string; start: number; end: number }[];
    }[];
  };
}

class DeepgramStream implements SpeechToTextStream {
  private readonly events = new AsyncQueue<TranscriptEvent>();
  private readonly keepAlive: NodeJS.Timeout;
  private lastSentAt = Date.now();
  private ended = false;
  private closed = false;
  private readonly onAbort = () => this.close();

  constructor(
    private readonly socket: SpeechSocket,
    keepAliveMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
    socket.addEventListener("message", (event) => this.onMessage(event.data));
    socket.addEventListener("close", (event) => this.onClose(event.code, event.reason));
    this.keepAlive = setInterval(() => {
      if (Date.now() - this.lastSentAt >= keepAliveMs) this.sendJson({ type: "KeepAlive" });
    }, keepAliveMs);
    // An idle stream held for the next utterance must not keep the process alive.
    this.keepAlive.unref();
  }

  push(samples: Int16Array): void {
    if (this.ended || this.closed || this.socket.readyState !== OPEN) return;
    this.socket.send(pcm16Bytes(samples));
    this.lastSentAt = Date.now();
  }

  flush(): void {
    if (this.ended || this.closed) return;
    this.sendJson({ type: "Finalize" });
  }

  end(): void {
    if (this.ended || this.closed) return;
    this.ended = true;
    // The server answers with the remaining results and a Metadata message, then closes.
    this.sendJson({ type: "CloseStream" });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState <= OPEN) this.socket.close(1000);
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptEvent> {
    return this.events[Symbol.asyncIterator]();
  }

  private sendJson(message: { type: string }): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(JSON.stringify(message));
    this.lastSentAt = Date.now();
  }

  private onMessage(data: unknown): void {
    if (typeof data !== "string") return;
    let message: { type?: string } & Partial<DeepgramResults>;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type !== "Results") return;
    const best = message.channel?.alternatives?.[0];
    const text = best?.transcript?.trim() ?? "";
    if (!message.is_final) {
      if (text) this.events.push({ type: "partial", text });
      return;
    }
    if (!text) return;
    const words: TranscriptWord[] = (best?.words ?? []).map((w) => ({
      word: w.punctuated_word ?? w.word,
      startMs: Math.round(w.start * 1000),
      endMs: Math.round(w.end * 1000),
    }));
    const start = message.start ?? 0;
    this.events.push({
      type: "final",
      text,
      startMs: Math.round(start * 1000),
      endMs: Math.round((start + (message.duration ?? 0)) * 1000),
      ...(best?.confidence !== undefined ? { confidence: best.confidence } : {}),
      words,
    });
  }

  private onClose(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    // 1000 is the normal close after CloseStream; anything else is Deepgram giving up
    // (e.g. 1011 when no audio arrived in time, with a NET-… code in the reason).
    if (code === 1000 || (this.ended && code === 1005)) this.finish();
    else
      this.finish(
        new ProviderError("deepgram", `Deepgram closed the stream (${code}${reason ? `: ${reason}` : ""}).`),
      );
  }

  private finish(error?: unknown): void {
    clearInterval(this.keepAlive);
    this.signal?.removeEventListener("abort", this.onAbort);
    this.events.end(error);
  }
}
