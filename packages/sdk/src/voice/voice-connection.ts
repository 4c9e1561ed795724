import { browser, type WebSocketConstructor, type WebSocketLike } from "./browser-types.ts";
import { parseVoiceEvent, type VoiceEvent } from "./events.ts";

/** Something that went wrong before or during a call, in words fit to show the caller. */
export class VoiceCallError extends Error {
  override readonly name = "VoiceCallError";
  /**
   * `microphone-denied`, `microphone-unavailable`, `audio-unsupported`, `connection-failed`,
   * or a server error code (`speech-engine-unavailable`, `not-found`…).
   */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export type VoiceConnectionEvent =
  | VoiceEvent
  /** One chunk of agent audio: mono PCM16 at the call's sample rate. */
  | { type: "audio"; samples: Int16Array }
  /** The socket closed; `clean` when the call ended normally (hang-up or end of call). */
  | { type: "closed"; code: number; reason: string; clean: boolean };

export interface VoiceConnectionOptions {
  /** WebSocket implementation; defaults to the global one (browsers, Node ≥ 22). */
  WebSocket?: WebSocketConstructor;
  signal?: AbortSignal;
}

const OPEN = 1;

/**
 * The voice WebSocket of one session, below any audio device: sends caller audio frames,
 * parses the server's events and agent audio, and hangs up. `open` resolves once the
 * server says `ready` (its speech engines are running), or rejects with the server's own
 * error message, so a caller learns why a call could not start.
 */
export class VoiceConnection {
  private readonly listeners = new Set<(event: VoiceConnectionEvent) => void>();
  private closedEvent: Extract<VoiceConnectionEvent, { type: "closed" }> | undefined;
  private readonly closedPromise: Promise<Extract<VoiceConnectionEvent, { type: "closed" }>>;
  private settleClosed!: (event: Extract<VoiceConnectionEvent, { type: "closed" }>) => void;

  private constructor(
    private readonly socket: WebSocketLike,
    readonly ready: Extract<VoiceEvent, { type: "ready" }>,
  ) {
    this.closedPromise = new Promise((resolve) => {
      this.settleClosed = resolve;
    });
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.onClose(event.code, event.reason);
    socket.onerror = null;
  }

  /** Opens the socket at `url` (from `client.voice.socketUrl`) and waits for `ready`. */
  static open(url: string, options: VoiceConnectionOptions = {}): Promise<VoiceConnection> {
    const WebSocketImpl = options.WebSocket ?? browser.WebSocket;
    if (!WebSocketImpl) {
      return Promise.reject(
        new VoiceCallError("audio-unsupported", "This environment has no WebSocket; pass one in options."),
      );
    }
    return new Promise((resolve, reject) => {
      const socket = new WebSocketImpl(url);
      socket.binaryType = "arraybuffer";
      let serverError: { code: string; message: string } | undefined;
      const fail = (error: VoiceCallError) => {
        options.signal?.removeEventListener("abort", onAbort);
        socket.onmessage = socket.onclose = socket.onerror = null;
        if (socket.readyState <= OPEN) socket.close(1000, "not started");
        reject(error);
      };
      const onAbort = () => fail(new VoiceCallError("aborted", "The call was cancelled before it started."));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      socket.onmessage = (event) => {
        if (typeof event.data !== "string") return;
        const parsed = parseVoiceEvent(event.data);
        if (parsed?.type === "error") serverError = parsed;
        if (parsed?.type !== "ready") return;
        options.signal?.removeEventListener("abort", onAbort);
        resolve(new VoiceConnection(socket, parsed));
      };
      // A refused upgrade (401/403/404) reaches a browser only as an error and a 1006 close.
      socket.onerror = () => undefined;
      socket.onclose = (event) =>
        fail(
          serverError
            ? new VoiceCallError(serverError.code, serverError.message)
            : new VoiceCallError(
                "connection-failed",
                `Could not connect the call (the server closed the connection${event.code ? `, code ${event.code}` : ""}).`,
              ),
        );
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === OPEN && !this.closedEvent;
  }

  /** Resolves when the socket has closed, for whatever reason. */
  get closed(): Promise<Extract<VoiceConnectionEvent, { type: "closed" }>> {
    return this.closedPromise;
  }

  on(listener: (event: VoiceConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends caller audio: mono PCM16 at `ready.sampleRate`, ideally one 20 ms frame at a time. */
  sendAudio(samples: Int16Array): void {
    if (!this.isOpen || samples.length === 0) return;
    this.socket.send(
      samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength
        ? samples.buffer
        : samples.slice().buffer,
    );
  }

  /** A keypad press, passed to the agent with the caller's next words. */
  pressKey(digit: string): void {
    if (this.isOpen) this.socket.send(JSON.stringify({ type: "dtmf", digit }));
  }

  /**
   * Ends the call: the server stores the transcript and recording, then closes the socket.
   * Resolves when it has closed (closing it ourselves after `timeoutMs` if the server does not).
   */
  async hangUp(timeoutMs = 5000): Promise<void> {
    if (this.closedEvent) return;
    if (this.isOpen) this.socket.send(JSON.stringify({ type: "hangup" }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.closedPromise,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.close();
          resolve();
        }, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Drops the connection now; the server ends the call and keeps its transcript. */
  close(): void {
    if (this.closedEvent) return;
    if (this.socket.readyState <= OPEN) this.socket.close(1000, "hang-up");
    this.onClose(1000, "hang-up");
  }

  private receive(data: unknown): void {
    if (typeof data === "string") {
      const event = parseVoiceEvent(data);
      if (event) this.emit(event);
      return;
    }
    const samples = toSamples(data);
    if (samples) this.emit({ type: "audio", samples });
  }

  private onClose(code: number, reason: string): void {
    if (this.closedEvent) return;
    this.socket.onmessage = this.socket.onclose = null;
    this.closedEvent = { type: "closed", code, reason, clean: code === 1000 };
    this.emit(this.closedEvent);
    this.settleClosed(this.closedEvent);
  }

  private emit(event: VoiceConnectionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not stop the others, nor the call.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** Agent audio as samples; an odd trailing byte (never sent by the server) is dropped. */
function toSamples(data: unknown): Int16Array | undefined {
  let bytes: Uint8Array | undefined;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!bytes || bytes.byteLength < 2) return undefined;
  const count = bytes.byteLength >> 1;
  // Copy into a fresh, aligned buffer: views from Node's `ws` may start at odd offsets.
  const samples = new Int16Array(count);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, count * 2));
  return samples;
}
