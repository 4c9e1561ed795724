import {
  type AudioContextLike,
  type AudioNodeLike,
  type AudioWorkletNodeLike,
  browser,
  type MediaStreamLike,
} from "./browser-types.ts";
import { playAgentAudio, type VoiceCallEvent } from "./call-audio.ts";
import type { AgentState } from "./events.ts";
import { PlaybackQueue } from "./playback-queue.ts";
import { VoiceCallError, type VoiceConnection } from "./voice-connection.ts";
import { webAudioSink } from "./web-audio-sink.ts";

export interface VoiceCallOptions {
  /**
   * Opens the call's socket. Called once the microphone is granted, so a refused
   * microphone never leaves a half-started call (or session) behind.
   */
  connect: (signal?: AbortSignal) => Promise<VoiceConnection>;
  /**
   * Where `capture-worklet.js` is served. By default it is resolved next to this module
   * (`new URL(…, import.meta.url)`), which Vite, webpack 5, Parcel and esbuild's file
   * loader turn into an emitted asset; pass a URL if your setup copies it elsewhere.
   */
  workletUrl?: string | URL;
  /** A microphone to use instead of the default one. */
  deviceId?: string;
  /** Calls `listener` for every event from the start, before `start` resolves. */
  onEvent?: (event: VoiceCallEvent) => void;
  signal?: AbortSignal;
}

const CAPTURE_PROCESSOR = "oratio-capture";

/**
 * A voice call from the browser: microphone → AudioWorklet (16 kHz PCM16, 20 ms frames) →
 * WebSocket, and agent audio → a playback queue that falls silent the moment the server
 * says the caller barged in. Echo cancellation, noise suppression and gain control are on,
 * so the agent's voice from the speakers is not heard back as the caller.
 */
export class VoiceCall {
  private readonly listeners = new Set<(event: VoiceCallEvent) => void>();
  private agentState: AgentState = "listening";
  private isMuted = false;
  private ended = false;
  private micStopped = false;
  private teardownDone: Promise<void> | undefined;

  private constructor(
    private readonly context: AudioContextLike,
    private readonly stream: MediaStreamLike,
    private readonly source: AudioNodeLike,
    private readonly capture: AudioWorkletNodeLike,
    private readonly connection: VoiceConnection,
    private readonly playback: PlaybackQueue,
  ) {}

  /**
   * Starts a call. Call it from a click handler: browsers only let audio start after a
   * user gesture. Rejects with a VoiceCallError whose message can be shown as it is.
   */
  static async start(options: VoiceCallOptions): Promise<VoiceCall> {
    const AudioContextImpl = browser.AudioContext ?? browser.webkitAudioContext;
    const WorkletNode = browser.AudioWorkletNode;
    const devices = browser.navigator?.mediaDevices;
    if (!AudioContextImpl || !WorkletNode || !devices?.getUserMedia) {
      throw new VoiceCallError(
        "audio-unsupported",
        "This browser cannot make voice calls: it needs microphone access and AudioWorklet (a recent Chrome, Edge, Firefox or Safari, over HTTPS or on localhost).",
      );
    }
    // Made before any await, while the click still counts as a user gesture.
    const context = new AudioContextImpl({ latencyHint: "interactive" });
    let stream: MediaStreamLike | undefined;
    let connection: VoiceConnection | undefined;
    try {
      stream = await openMicrophone(devices.getUserMedia.bind(devices), options.deviceId);
      options.signal?.throwIfAborted();
      if (context.state === "suspended") await context.resume();
      const workletUrl = options.workletUrl ?? new URL("./capture-worklet.js", import.meta.url);
      try {
        await context.audioWorklet.addModule(String(workletUrl));
      } catch (cause) {
        throw new VoiceCallError(
          "audio-unsupported",
          `The audio processor could not be loaded from ${String(workletUrl)}.`,
          { cause },
        );
      }
      connection = await options.connect(options.signal);
      const { sampleRate, frameMs } = connection.ready;
      const capture = new WorkletNode(context, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        processorOptions: { outputRate: sampleRate, frameSamples: Math.round((sampleRate * frameMs) / 1000) },
      });
      const source = context.createMediaStreamSource(stream);
      const playback = new PlaybackQueue(webAudioSink(context), { sampleRate });
      const call = new VoiceCall(context, stream, source, capture, connection, playback);
      if (options.onEvent) call.on(options.onEvent);
      call.wire();
      source.connect(capture);
      return call;
    } catch (error) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      connection?.close();
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  /** The agent's state: `listening`, `thinking` (working on a reply) or `speaking`. */
  get state(): AgentState {
    return this.agentState;
  }

  get muted(): boolean {
    return this.isMuted;
  }

  get sessionId(): string {
    return this.connection.ready.sessionId;
  }

  /** Seconds of agent audio queued and not yet heard. */
  get bufferedSeconds(): number {
    return this.playback.bufferedSeconds;
  }

  on(listener: (event: VoiceCallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Mutes the microphone. Silence is still sent in its place: the server paces the agent's
   * speech by the caller's audio clock, so the agent keeps talking while the caller is muted.
   */
  setMuted(muted: boolean): void {
    this.isMuted = muted;
    for (const track of this.stream.getAudioTracks()) track.enabled = !muted;
  }

  /** Ends the call; resolves when the server has stored it and everything is released. */
  async hangUp(): Promise<void> {
    this.stopMicrophone();
    await this.connection.hangUp();
    await this.teardown();
  }

  private wire(): void {
    this.capture.port.onmessage = ({ data }) => {
      if (this.ended || !(data instanceof ArrayBuffer)) return;
      const frame = new Int16Array(data);
      if (this.isMuted) frame.fill(0);
      this.connection.sendAudio(frame);
    };
    for (const track of this.stream.getAudioTracks()) {
      track.addEventListener("ended", () => {
        if (this.ended) return;
        this.emit({
          type: "error",
          code: "microphone-unavailable",
          message: "The microphone stopped (unplugged or turned off), so the call was ended.",
        });
        void this.hangUp();
      });
    }
    playAgentAudio(this.connection, this.playback, (event) => {
      if (event.type === "state") this.agentState = event.state;
      this.emit(event);
      if (event.type === "closed") void this.teardown();
    });
  }

  private stopMicrophone(): void {
    if (this.micStopped) return;
    this.micStopped = true;
    this.capture.port.postMessage({ type: "stop" });
    this.capture.port.onmessage = null;
    for (const track of this.stream.getTracks()) track.stop();
  }

  private teardown(): Promise<void> {
    this.teardownDone ??= (async () => {
      this.ended = true;
      this.stopMicrophone();
      this.source.disconnect();
      this.capture.disconnect();
      this.playback.close();
      this.connection.close();
      await this.context.close().catch(() => undefined);
    })();
    return this.teardownDone;
  }

  private emit(event: VoiceCallEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

type GetUserMedia = (constraints: { audio: Record<string, unknown> }) => Promise<MediaStreamLike>;

/** The microphone with the browser's echo cancellation, noise suppression and gain control. */
async function openMicrophone(getUserMedia: GetUserMedia, deviceId?: string): Promise<MediaStreamLike> {
  try {
    return await getUserMedia({
      audio: {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        channelCount: 1,
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      },
    });
  } catch (cause) {
    throw microphoneError(cause);
  }
}

/** getUserMedia's DOMException names, as sentences a caller can act on. */
export function microphoneError(cause: unknown): VoiceCallError {
  const name = (cause as { name?: string } | null)?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return new VoiceCallError(
        "microphone-denied",
        "Microphone access is blocked. Allow this site to use the microphone (in the address bar or the browser's site settings), then start the call again.",
        { cause },
      );
    case "NotFoundError":
    case "OverconstrainedError":
      return new VoiceCallError(
        "microphone-unavailable",
        "No microphone was found. Connect one, then start the call again.",
        { cause },
      );
    case "NotReadableError":
    case "AbortError":
      return new VoiceCallError(
        "microphone-unavailable",
        "The microphone could not be started; another application may be using it.",
        { cause },
      );
    default:
      return new VoiceCallError("microphone-unavailable", "The microphone could not be opened.", { cause });
  }
}
