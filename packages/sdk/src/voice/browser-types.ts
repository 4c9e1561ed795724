/**
 * The slices of the browser's Web Audio, media-capture and WebSocket APIs the voice client
 * uses, typed structurally. The SDK is type-checked without the DOM library (it also runs
 * in Node), so it names what it needs here; real browser objects satisfy these shapes.
 */

export interface AudioParamLike {
  value: number;
}

export interface AudioNodeLike {
  connect(destination: AudioNodeLike): unknown;
  disconnect(): void;
}

export interface AudioBufferLike {
  getChannelData(channel: number): Float32Array;
}

export interface AudioBufferSourceNodeLike extends AudioNodeLike {
  buffer: AudioBufferLike | null;
  onended: ((event: unknown) => void) | null;
  start(when?: number): void;
  stop(when?: number): void;
}

export interface MessagePortLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}

export interface AudioWorkletNodeLike extends AudioNodeLike {
  readonly port: MessagePortLike;
}

export interface MediaStreamTrackLike {
  enabled: boolean;
  readonly readyState: string;
  stop(): void;
  addEventListener(type: "ended", listener: () => void): void;
}

export interface MediaStreamLike {
  getTracks(): MediaStreamTrackLike[];
  getAudioTracks(): MediaStreamTrackLike[];
}

export interface AudioContextLike {
  readonly sampleRate: number;
  readonly currentTime: number;
  readonly state: string;
  readonly destination: AudioNodeLike;
  readonly audioWorklet: { addModule(url: string): Promise<void> };
  resume(): Promise<void>;
  close(): Promise<void>;
  createBuffer(channels: number, length: number, sampleRate: number): AudioBufferLike;
  createBufferSource(): AudioBufferSourceNodeLike;
  createGain(): AudioNodeLike & { gain: AudioParamLike };
  createMediaStreamSource(stream: MediaStreamLike): AudioNodeLike;
}

export type AudioContextConstructor = new (options?: { latencyHint?: string }) => AudioContextLike;

export type AudioWorkletNodeConstructor = new (
  context: AudioContextLike,
  name: string,
  options?: {
    numberOfInputs?: number;
    numberOfOutputs?: number;
    channelCount?: number;
    processorOptions?: Record<string, unknown>;
  },
) => AudioWorkletNodeLike;

export interface MediaDevicesLike {
  getUserMedia(constraints: {
    audio: Record<string, unknown> | boolean;
    video?: boolean;
  }): Promise<MediaStreamLike>;
}

export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What `globalThis` offers in a browser; every member is missing in Node. */
export interface BrowserGlobals {
  AudioContext?: AudioContextConstructor;
  webkitAudioContext?: AudioContextConstructor;
  AudioWorkletNode?: AudioWorkletNodeConstructor;
  WebSocket?: WebSocketConstructor;
  navigator?: { mediaDevices?: MediaDevicesLike };
  location?: { origin: string };
}

export const browser = globalThis as unknown as BrowserGlobals;
