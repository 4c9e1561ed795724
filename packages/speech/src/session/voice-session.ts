import { OratioError, ValidationError } from "@oratio/core";
import { Resampler } from "../audio/resampler.ts";
import { InterruptionArbiter } from "../turn/interruption-arbiter.ts";
import { type EndpointEvent, Endpointer } from "../vad/endpointer.ts";
import { AgentOutput } from "./agent-output.ts";
import { AgentUtterance } from "./agent-utterance.ts";
import { CallRecording } from "./call-recording.ts";
import { SessionEvents } from "./session-events.ts";
import { SpeechTurns } from "./speech-turns.ts";
import type {
  AgentState,
  AgentUtteranceKind,
  EndReason,
  TranscriptEntry,
  TurnMetrics,
  VoiceSessionEvent,
  VoiceSessionListener,
  VoiceSessionOptions,
} from "./types.ts";
import { VadFeed } from "./vad-feed.ts";

/** What is known about the caller's turn before the agent answers it. */
interface TurnSeed {
  endpointingMs?: number;
  sttFinalMs?: number;
  /** Wall time of the end-of-turn decision. */
  decisionWall?: number;
}

interface BargeIn {
  reactionMs: number;
  detectionMs: number;
}

/** Largest chunk `pushAudio` accepts at once. */
const MAX_PUSH_MS = 1000;

/**
 * One live voice call, independent of transport and of the LLM runtime. The transport
 * pushes caller audio frames and plays the `audio` events; the session runs turn-taking:
 * VAD → endpointing → STT → `respond()` → clauses → TTS → 20 ms frames, with barge-in,
 * false-interruption recovery, idle reprompts, a call-length limit, per-turn latency
 * metrics, a transcript and a stereo recording.
 *
 * The session clock is the caller audio: every pushed frame advances it by one frame, and
 * agent audio is paced against it. Transports therefore keep sending audio (silence too)
 * for as long as the call lasts, as telephony and browser microphones do.
 */
export class VoiceSession {
  readonly inputSampleRate: number;
  readonly outputSampleRate: number;
  readonly frameMs: number;
  /** Samples per input frame; `pushAudio` takes whole frames. */
  readonly frameSamples: number;
  readonly playoutMode: "clock" | "transport";
  private readonly options: VoiceSessionOptions;
  private readonly now: () => number;
  private readonly events: SessionEvents<VoiceSessionEvent>;
  private readonly endpointer: Endpointer;
  private readonly arbiter: InterruptionArbiter;
  private readonly vadFeed: VadFeed;
  private readonly sttResampler: Resampler | undefined;
  private readonly turns: SpeechTurns;
  private readonly output: AgentOutput;
  private readonly recording: CallRecording | undefined;
  private readonly transcript: TranscriptEntry[] = [];
  private readonly metrics: TurnMetrics[] = [];
  private utterance: AgentUtterance | undefined;
  private seed: TurnSeed = {};
  private firstFrameWall: number | undefined;
  private bargeIn: BargeIn | undefined;
  private userSpeechStartMs = 0;
  private carriedUserText = "";
  /** What the caller said that the current reply answers. */
  private replyUserText = "";
  private state: AgentState = "listening";
  private frames = 0;
  private started = false;
  private endedReason: EndReason | undefined;
  private lastActivityMs = 0;
  private reprompts = 0;
  private turnCounter = 0;

  constructor(options: VoiceSessionOptions) {
    const frameMs = options.frameMs ?? 20;
    const inputRate = options.inputSampleRate;
    const outputRate = options.outputSampleRate ?? inputRate;
    for (const [name, rate] of [
      ["inputSampleRate", inputRate],
      ["outputSampleRate", outputRate],
    ] as const) {
      if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
        throw new ValidationError(`${name} must be an integer between 8000 and 48000; got ${rate}.`);
      }
    }
    const frameSamples = (inputRate * frameMs) / 1000;
    if (!Number.isInteger(frameSamples) || !Number.isInteger((outputRate * frameMs) / 1000)) {
      throw new ValidationError(
        `${frameMs} ms is not a whole number of samples at ${inputRate}/${outputRate} Hz.`,
      );
    }
    this.options = options;
    this.inputSampleRate = inputRate;
    this.outputSampleRate = outputRate;
    this.frameMs = frameMs;
    this.frameSamples = frameSamples;
    this.playoutMode = options.playout ?? "clock";
    this.now = options.now ?? (() => performance.now());
    this.events = new SessionEvents((error) => this.fail(error));
    this.endpointer = new Endpointer(options.endpointing);
    this.arbiter = new InterruptionArbiter({
      confirmWindowMs: options.interruption?.confirmWindowMs,
      backchannels: options.interruption?.backchannels,
    });
    this.vadFeed = new VadFeed(
      options.vad,
      options.vad.sampleRate === inputRate ? undefined : new Resampler(inputRate, options.vad.sampleRate),
      (frame, probability, wall) => this.processFrame(frame, probability, wall),
      (error) => this.fail(error),
    );
    this.sttResampler =
      options.stt.sampleRate === inputRate ? undefined : new Resampler(inputRate, options.stt.sampleRate);
    const preRollMs = (options.preRollMs ?? 300) + this.endpointer.minSpeechMs;
    this.turns = new SpeechTurns(options.stt, {
      language: options.language,
      preRollFrames: Math.ceil(preRollMs / frameMs),
      finalTimeoutMs: options.sttFinalTimeoutMs ?? 5000,
      onPartial: (text) => {
        if (text)
          this.emit({
            type: "transcript",
            role: "user",
            final: false,
            text,
            startMs: this.userSpeechStartMs,
          });
      },
      onError: (error) => this.fail(error),
    });
    this.output = new AgentOutput({
      sampleRate: outputRate,
      frameMs,
      leadMs: options.outputLeadMs ?? 80,
      playout: this.playoutMode,
      onFrame: (frame, playoutMs) => this.handOut(frame, playoutMs),
      // The agent's words as they start playing; the final line (what was heard) follows.
      onSegmentStart: (text) =>
        this.emit({
          type: "transcript",
          role: "agent",
          final: false,
          text,
          startMs: this.output.firstPlayoutMs ?? this.clockMs,
        }),
    });
    this.recording =
      options.record === false
        ? undefined
        : new CallRecording(inputRate, outputRate, { spillDirectory: options.recordingSpillDirectory });
  }

  /** Session clock: ms of caller audio received. */
  get clockMs(): number {
    return this.frames * this.frameMs;
  }

  get agentState(): AgentState {
    return this.state;
  }

  get ended(): boolean {
    return this.endedReason !== undefined;
  }

  on(listener: VoiceSessionListener): () => void {
    return this.events.on(listener);
  }

  /** Events from now until the session ends. */
  stream(): AsyncIterable<VoiceSessionEvent> {
    return this.events.iterate();
  }

  /** Begin the call: open the first recognition stream and speak the greeting. */
  start(): void {
    if (this.started) throw new ValidationError("The voice session has already started.");
    this.started = true;
    this.turns.warm();
    if (this.options.greeting) this.say(this.options.greeting, "greeting");
  }

  /**
   * Caller audio at `inputSampleRate`: PCM16 samples, or little-endian PCM16 bytes, holding
   * one or more whole frames. Malformed input is reported as an `error` event and dropped.
   * Returns whether the audio was accepted.
   */
  pushAudio(audio: Int16Array | Uint8Array): boolean {
    if (this.ended) return false;
    if (!this.started) {
      this.fail(new ValidationError("Call start() before pushing audio."));
      return false;
    }
    const samples = this.toSamples(audio);
    if (!samples) return false;
    const wall = this.now();
    for (let offset = 0; offset < samples.length; offset += this.frameSamples) {
      this.vadFeed.push(samples.subarray(offset, offset + this.frameSamples), wall);
      if (this.ended) break;
    }
    return true;
  }

  /** Transport acknowledgement that `samples` more agent samples (output rate) were played. */
  markPlayed(samples: number): void {
    if (!Number.isInteger(samples) || samples < 0) {
      this.fail(new ValidationError(`markPlayed takes a whole number of samples ≥ 0; got ${samples}.`));
      return;
    }
    this.output.markPlayed(samples);
  }

  /** End the call. The transcript, metrics and recording stay available. Idempotent. */
  close(): void {
    this.end("closed");
  }

  /** In the order the speech started (an interrupted agent entry is settled after the barge-in). */
  getTranscript(): TranscriptEntry[] {
    return this.transcript.map((entry) => ({ ...entry })).sort((a, b) => a.startMs - b.startMs);
  }

  getMetrics(): TurnMetrics[] {
    return this.metrics.map((entry) => ({ ...entry }));
  }

  /** Stereo WAV at the input rate: caller left, agent right, aligned on the session clock. */
  getRecording(): Uint8Array {
    if (!this.recording) throw new ValidationError("This session was created with record: false.");
    return this.recording.toWav();
  }

  /** Frees the recording's memory and scratch files once it is saved; it cannot be read after. */
  releaseRecording(): void {
    this.recording?.dispose();
  }

  private toSamples(audio: Int16Array | Uint8Array): Int16Array | undefined {
    let samples: Int16Array;
    if (audio instanceof Int16Array) samples = audio;
    else if (audio instanceof Uint8Array) {
      if (audio.byteLength % 2 !== 0) {
        this.fail(
          new ValidationError(`PCM16 audio must have an even number of bytes; got ${audio.byteLength}.`),
        );
        return undefined;
      }
      samples =
        audio.byteOffset % 2 === 0
          ? new Int16Array(audio.buffer, audio.byteOffset, audio.byteLength / 2)
          : new Int16Array(audio.slice().buffer);
    } else {
      this.fail(new ValidationError("Audio must be an Int16Array or a Uint8Array of PCM16 bytes."));
      return undefined;
    }
    const maxSamples = (this.inputSampleRate * MAX_PUSH_MS) / 1000;
    if (samples.length === 0 || samples.length % this.frameSamples !== 0 || samples.length > maxSamples) {
      this.fail(
        new ValidationError(
          `Audio must be whole ${this.frameMs} ms frames (${this.frameSamples} samples at ${this.inputSampleRate} Hz), ` +
            `at most ${MAX_PUSH_MS} ms at once; got ${samples.length} samples.`,
        ),
      );
      return undefined;
    }
    return samples;
  }

  /** One caller frame, in order, with the VAD's verdict on it (see VadFeed). */
  private processFrame(frame: Int16Array, probability: number, wall: number): void {
    if (this.ended) return;
    this.frames++;
    this.recording?.addCaller(frame);
    this.turns.audio(this.sttResampler ? this.sttResampler.process(frame) : frame);
    const event = this.endpointer.update(probability, this.frameMs);
    if (event?.type === "speech-start") this.onSpeechStart(event.atMs, wall);
    else if (event?.type === "speech-end") this.onSpeechEnd(event, wall);
    this.output.advance(this.clockMs);
    this.maybeResume();
    this.pump();
    this.checkFinished();
    this.checkLimits();
  }

  private onSpeechStart(atMs: number, wall: number): void {
    this.userSpeechStartMs = atMs;
    this.reprompts = 0;
    this.emit({ type: "user-speech", speaking: true, atMs });
    this.turns.begin();
    const utterance = this.utterance;
    if (!utterance) return;
    if (!this.output.hasAudio && !this.output.paused) {
      // Nothing audible yet: the caller is still talking, so answer everything together.
      if (utterance.kind === "reply")
        this.carriedUserText = joinText(this.replyUserText, this.carriedUserText);
      utterance.abort();
      this.utterance = undefined;
      this.output.reset();
      this.setState("listening");
      return;
    }
    if (this.options.interruption?.enabled === false || this.output.paused) return;
    const detectionMs = this.clockMs - atMs;
    if (this.options.interruption?.guard === false) {
      this.stopOutput();
      this.bargeIn = { reactionMs: this.now() - wall, detectionMs };
      this.interrupt();
      return;
    }
    if (this.arbiter.userStartedSpeaking(this.clockMs) !== "pause") return;
    this.stopOutput();
    this.bargeIn = { reactionMs: this.now() - wall, detectionMs };
    this.setState("listening");
  }

  private onSpeechEnd(event: Extract<EndpointEvent, { type: "speech-end" }>, wall: number): void {
    this.emit({ type: "user-speech", speaking: false, atMs: event.atMs });
    this.lastActivityMs = this.clockMs;
    const startMs = this.userSpeechStartMs;
    const seed: TurnSeed = { endpointingMs: this.clockMs - event.atMs, decisionWall: wall };
    void this.turns.end().then((text) => this.onUserTranscript(text, startMs, event.atMs, seed));
  }

  private onUserTranscript(text: string, startMs: number, endMs: number, seed: TurnSeed): void {
    if (this.ended) return;
    seed.sttFinalMs = this.now() - seed.decisionWall!;
    if (text) {
      this.transcript.push({ role: "user", text, startMs, endMs });
      this.emit({ type: "transcript", role: "user", final: true, text, startMs, endMs });
    }
    if (!text) return;
    if (this.utterance && this.output.paused) {
      // Barge-in under the guard: only words beyond a backchannel interrupt.
      if (this.arbiter.transcript(text) !== "interrupt") return;
      this.interrupt();
    }
    this.carriedUserText = joinText(this.carriedUserText, text);
    // Still talking, or the agent is mid-utterance with interruptions off: answer later.
    if (this.turns.inUtterance || this.utterance) return;
    this.answer(seed);
  }

  private answer(seed: TurnSeed): void {
    const userText = this.carriedUserText;
    this.carriedUserText = "";
    this.seed = seed;
    this.replyUserText = userText;
    this.startUtterance("reply", (signal) =>
      this.options.respond(userText, { signal, turn: this.turnCounter }),
    );
  }

  private say(text: string, kind: AgentUtteranceKind): void {
    this.seed = {};
    this.startUtterance(kind, async function* () {
      yield text;
    });
  }

  private startUtterance(
    kind: AgentUtteranceKind,
    text: (signal: AbortSignal) => AsyncIterable<string>,
  ): void {
    this.turnCounter++;
    this.output.reset();
    this.firstFrameWall = undefined;
    this.bargeIn = undefined;
    const utterance = new AgentUtterance({
      kind,
      turn: this.turnCounter,
      text,
      tts: this.options.tts,
      output: this.output,
      outputSampleRate: this.outputSampleRate,
      voice: this.options.voice,
      speed: this.options.speed,
      now: this.now,
      onAudio: () => {
        if (this.utterance === utterance) this.pump();
      },
    });
    this.utterance = utterance;
    this.setState("thinking");
    const settle = (error?: unknown) => {
      if (error !== undefined) this.fail(error);
      if (this.utterance !== utterance) return;
      this.output.markComplete();
      this.pump();
      this.checkFinished();
    };
    utterance.run().then(() => settle(), settle);
  }

  /** Hand out agent frames the lead allows. */
  private pump(): void {
    if (!this.utterance || this.ended) return;
    if (this.output.pump(this.clockMs) > 0 && this.state !== "speaking") {
      this.arbiter.agentStartedSpeaking();
      this.setState("speaking");
    }
  }

  private handOut(frame: Int16Array, playoutMs: number): void {
    this.firstFrameWall ??= this.now();
    this.recording?.addAgent(frame, playoutMs);
    this.emit({ type: "audio", samples: frame, sampleRate: this.outputSampleRate, playoutMs });
  }

  /** Barge-in: nothing more goes out, and the transport drops what it holds. */
  private stopOutput(): void {
    this.output.pause(this.clockMs);
    this.recording?.cutAgent(this.clockMs);
    this.emit({ type: "clear-output", atMs: this.clockMs });
  }

  private maybeResume(): void {
    if (!this.utterance || !this.output.paused) return;
    // Undecided while the caller is still talking or their words are still being recognised.
    if (this.turns.inUtterance || this.turns.pending > 0) return;
    if (this.arbiter.tick(this.clockMs) !== "resume") return;
    this.output.resume();
    this.emit({ type: "resumed", atMs: this.clockMs });
  }

  private interrupt(): void {
    const utterance = this.utterance!;
    const heard = this.output.heardText();
    const generated = utterance.generatedText;
    utterance.abort();
    this.arbiter.agentStoppedSpeaking();
    this.emit({ type: "interrupted", heardText: heard, generatedText: generated, atMs: this.clockMs });
    this.finishUtterance(heard, true);
  }

  private checkFinished(): void {
    if (!this.utterance || !this.output.finished) return;
    this.arbiter.agentStoppedSpeaking();
    this.finishUtterance(this.utterance.generatedText, false);
    if (this.carriedUserText && !this.turns.inUtterance) this.answer({});
  }

  private finishUtterance(text: string, interrupted: boolean): void {
    const utterance = this.utterance!;
    this.utterance = undefined;
    const metrics = this.turnMetrics(utterance, interrupted);
    this.metrics.push(metrics);
    if (this.output.firstPlayoutMs !== undefined) {
      const startMs = this.output.firstPlayoutMs;
      const endMs = interrupted ? this.clockMs : this.output.endMs;
      const entry: TranscriptEntry = { role: "agent", text, startMs, endMs, kind: utterance.kind, metrics };
      if (interrupted) {
        entry.interrupted = true;
        if (utterance.generatedText !== text) entry.generatedText = utterance.generatedText;
      }
      this.transcript.push(entry);
      this.emit({ type: "transcript", role: "agent", final: true, text, startMs, endMs });
    }
    this.emit({ type: "metrics", metrics });
    this.output.reset();
    this.lastActivityMs = this.clockMs;
    this.setState("listening");
  }

  private turnMetrics(utterance: AgentUtterance, interrupted: boolean): TurnMetrics {
    const marks = utterance.marks;
    const seed = this.seed;
    const metrics: TurnMetrics = { turn: utterance.turn, kind: utterance.kind, interrupted };
    const since = (end: number | undefined, start: number | undefined) =>
      end !== undefined && start !== undefined ? end - start : undefined;
    metrics.endpointingMs = seed.endpointingMs;
    metrics.sttFinalMs = seed.sttFinalMs;
    if (utterance.kind === "reply") {
      metrics.llmFirstTokenMs = since(marks.firstDelta, marks.textStart);
      metrics.firstSentenceMs = since(marks.firstClause, marks.textStart);
    }
    metrics.ttsFirstByteMs = since(marks.ttsFirstByte, marks.ttsRequest);
    metrics.firstFrameMs = since(this.firstFrameWall, marks.ttsFirstByte);
    const afterDecision = since(this.firstFrameWall, seed.decisionWall);
    if (afterDecision !== undefined && seed.endpointingMs !== undefined) {
      metrics.responseLatencyMs = seed.endpointingMs + afterDecision;
    }
    if (this.bargeIn) {
      metrics.bargeInReactionMs = this.bargeIn.reactionMs;
      metrics.bargeInDetectionMs = this.bargeIn.detectionMs;
    }
    for (const key of Object.keys(metrics) as (keyof TurnMetrics)[]) {
      if (metrics[key] === undefined) delete metrics[key];
    }
    return metrics;
  }

  private checkLimits(): void {
    const { maxCallMs, idle } = this.options;
    if (maxCallMs !== undefined && this.clockMs >= maxCallMs) {
      this.end("max-duration");
      return;
    }
    if (!idle || this.utterance || this.turns.inUtterance || this.turns.pending > 0 || this.carriedUserText)
      return;
    if (this.clockMs - this.lastActivityMs < idle.timeoutMs) return;
    if (this.reprompts >= (idle.maxReprompts ?? 2)) {
      this.end("idle-timeout");
      return;
    }
    this.reprompts++;
    this.lastActivityMs = this.clockMs;
    this.say(idle.reprompt, "reprompt");
  }

  private end(reason: EndReason): void {
    if (this.ended) return;
    if (this.utterance) {
      if (this.output.hasAudio) {
        if (!this.output.paused) this.stopOutput();
        this.interrupt();
      } else {
        this.utterance.abort();
        this.utterance = undefined;
      }
    }
    this.endedReason = reason;
    this.vadFeed.stop();
    this.turns.close();
    this.setState("listening");
    this.emit({ type: "ended", reason, atMs: this.clockMs });
    this.events.end();
  }

  private setState(state: AgentState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit({ type: "agent-state", state, atMs: this.clockMs });
  }

  private emit(event: VoiceSessionEvent): void {
    this.events.emit(event);
  }

  private fail(error: unknown): void {
    if (isAbort(error)) return;
    const wrapped =
      error instanceof Error
        ? error
        : new OratioError(500, "voice-session-error", "Voice session error", { detail: String(error) });
    this.emit({ type: "error", error: wrapped });
  }
}

function joinText(a: string, b: string): string {
  return [a, b].filter((part) => part.length > 0).join(" ");
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
