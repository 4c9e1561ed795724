import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from "@oratio/core/speech";
import type { EndpointerOptions } from "../vad/endpointer.ts";

/**
 * Shapes of a live voice call: what a VoiceSession is given, what it emits and what it
 * keeps. Times called `…AtMs`/`startMs`/`endMs` are on the session clock (milliseconds of
 * caller audio received since the call started); durations called `…Ms` in metrics are
 * wall-clock unless their comment says otherwise.
 */
export type AgentState = "listening" | "thinking" | "speaking";

export interface RespondContext {
  /** Aborted when the caller interrupts or the call ends; stop generating at once. */
  signal: AbortSignal;
  /** 1-based index of the agent turn this reply is for. */
  turn: number;
}

/** The agent's brain: text deltas of the reply to what the caller said. */
export type Respond = (userText: string, context: RespondContext) => AsyncIterable<string>;

export type EndReason = "closed" | "idle-timeout" | "max-duration";

export interface InterruptionOptions {
  /** Caller speech interrupts the agent at all. Default true. */
  enabled?: boolean;
  /**
   * Wait for words before treating onset as an interruption: the agent pauses at once and
   * resumes if only noise or a backchannel ("mm-hmm") was heard. Default true.
   */
  guard?: boolean;
  /** Window for words after onset before the agent resumes. Default 1500 ms. */
  confirmWindowMs?: number;
  /** Words that do not interrupt on their own (lower case). */
  backchannels?: readonly string[];
}

export interface IdleOptions {
  /** Silence (no caller speech, agent not speaking) before a reprompt. */
  timeoutMs: number;
  /** What the agent says when the caller has gone quiet. */
  reprompt: string;
  /** Reprompts before the call is ended with reason `idle-timeout`. Default 2. */
  maxReprompts?: number;
}

export interface VoiceSessionOptions {
  /** Rate of the caller audio passed to `pushAudio` (16000 browser, 8000 telephony). */
  inputSampleRate: number;
  /** Rate of the agent audio handed to the transport. Default `inputSampleRate`. */
  outputSampleRate?: number;
  /** Per-session detector (stateful; the caller owns and closes it). */
  vad: VoiceActivityDetector;
  stt: SpeechToText;
  tts: TextToSpeech;
  respond: Respond;
  /** Spoken when the session starts. */
  greeting?: string;
  voice?: string;
  speed?: number;
  language?: string;
  /** Frame length for input and output. Default 20 ms. */
  frameMs?: number;
  endpointing?: EndpointerOptions;
  /** Caller audio kept from before detected onset, so the first syllable reaches STT. Default 300 ms. */
  preRollMs?: number;
  interruption?: InterruptionOptions;
  idle?: IdleOptions;
  /** Ends the call with reason `max-duration` once the session clock passes this. */
  maxCallMs?: number;
  /**
   * How far agent audio may run ahead of the session clock in the transport's buffer.
   * Smaller stops the caller hearing the agent sooner on barge-in. Default 80 ms.
   */
  outputLeadMs?: number;
  /**
   * Who says what the caller heard: `clock` (audio handed out is played in real time on the
   * session clock) or `transport` (only `markPlayed` counts, e.g. from Twilio marks).
   */
  playout?: "clock" | "transport";
  /** Longest wait for the STT's final transcript after end of speech. Default 5000 ms. */
  sttFinalTimeoutMs?: number;
  /** Keep a stereo recording of the call. Default true. */
  record?: boolean;
  /**
   * Where the recording's audio older than a few seconds waits until it is read, so a long
   * call does not hold it all in memory; `false` keeps it in memory. Default: the system
   * temp directory. Call `releaseRecording()` once the recording is saved.
   */
  recordingSpillDirectory?: string | false;
  /** Wall clock for metrics, in ms. Default `performance.now`. */
  now?: () => number;
}

/** Latency breakdown of one agent turn (wall-clock ms unless noted). */
export interface TurnMetrics {
  /** 1-based agent turn index. */
  turn: number;
  kind: AgentUtteranceKind;
  /** Audio ms from the end of the caller's last word to the end-of-turn decision. */
  endpointingMs?: number;
  /** End-of-turn decision → final transcript. */
  sttFinalMs?: number;
  /** respond() called → first text delta. */
  llmFirstTokenMs?: number;
  /** respond() called → first clause ready for TTS. */
  firstSentenceMs?: number;
  /** First clause sent to TTS → its first audio. */
  ttsFirstByteMs?: number;
  /** First TTS audio → first frame handed to the transport. */
  firstFrameMs?: number;
  /** End of caller speech → first agent frame handed out: endpointing + all of the above. */
  responseLatencyMs?: number;
  /** Caller onset frame received → agent output stopped. */
  bargeInReactionMs?: number;
  /** Audio ms from caller speech onset to its detection (minimum speech length). */
  bargeInDetectionMs?: number;
  interrupted: boolean;
}

export type AgentUtteranceKind = "greeting" | "reply" | "reprompt";

export interface TranscriptEntry {
  role: "user" | "agent";
  /** For the agent: what the caller heard (truncated at the playout point on barge-in). */
  text: string;
  /** Session-clock offsets of the speech in the recording. */
  startMs: number;
  endMs: number;
  kind?: AgentUtteranceKind;
  interrupted?: boolean;
  /** Agent text generated, when more was generated than heard. */
  generatedText?: string;
  metrics?: TurnMetrics;
}

export type VoiceSessionEvent =
  | {
      type: "audio";
      /** One frame of agent audio at `sampleRate` (mono PCM16). */
      samples: Int16Array;
      sampleRate: number;
      /** Session-clock time at which this frame should play. */
      playoutMs: number;
    }
  /** Drop agent audio the transport has buffered but not played (Twilio `clear`). */
  | { type: "clear-output"; atMs: number }
  | {
      type: "transcript";
      role: "user" | "agent";
      final: boolean;
      text: string;
      startMs: number;
      endMs?: number;
    }
  | { type: "agent-state"; state: AgentState; atMs: number }
  | { type: "user-speech"; speaking: boolean; atMs: number }
  | { type: "interrupted"; heardText: string; generatedText: string; atMs: number }
  | { type: "resumed"; atMs: number }
  | { type: "metrics"; metrics: TurnMetrics }
  | { type: "error"; error: Error }
  | { type: "ended"; reason: EndReason; atMs: number };

export type VoiceSessionListener = (event: VoiceSessionEvent) => void;
