import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { agentVersions, type OrgScope } from "@oratio/db";
import {
  type RespondContext,
  type TurnMetrics,
  VoiceSession,
  type VoiceSessionEvent,
  type VoiceSessionOptions,
} from "@oratio/speech";
import { and, eq } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import { assertOpen, findSession, listEntries } from "../conversation/session-store.ts";
import {
  recordGreeting,
  recordVoiceEvent,
  recordVoiceTurn,
  type VoiceTurnLatency,
} from "../conversation/voice-turns.ts";
import type { AgentConfig } from "../routes/agents/agents.schemas.ts";
import { DeltaQueue } from "./delta-queue.ts";
import { createVoiceEngines, type VoiceEngines, type VoiceSettings } from "./voice-engines.ts";

/** What a transport relays to the caller's device, besides the voice session's own events. */
export type VoiceCallEvent =
  | Exclude<VoiceSessionEvent, { type: "error" }>
  | { type: "error"; code: string; message: string }
  | { type: "handoff"; from: string; to: string }
  | { type: "needs-human"; detail: string };

export type VoiceTransport = "browser" | "twilio";

export interface OpenVoiceCallOptions {
  deps: AppDeps;
  scope: OrgScope;
  sessionId: string;
  transport: VoiceTransport;
}

interface TurnRecord {
  userStartMs?: number;
  turnId: Promise<string | undefined>;
}

/** Where a session's call recording is kept. */
export function recordingPath(dataDir: string, orgId: string, sessionId: string): string {
  return path.join(dataDir, "recordings", orgId, `${sessionId}.wav`);
}

/**
 * One live call on a session: a VoiceSession whose brain is the ConversationService, so
 * the spoken conversation is the same transcript as a typed one. Alongside it the call
 * writes what only voice knows (recording offsets, per-turn latency, barge-ins, keypad
 * presses) and, when it ends, the stereo recording. Transports (browser WebSocket,
 * Twilio Media Stream) only move audio and events.
 */
export class VoiceCall {
  readonly voice: VoiceSession;
  private readonly listeners = new Set<(event: VoiceCallEvent) => void>();
  private readonly turns = new Map<number, TurnRecord>();
  private pendingUserStartMs: number | undefined;
  private lastAgentStartMs: number | undefined;
  private lastInterruption: { heardText: string; generatedText: string; atMs: number } | undefined;
  private keys = "";
  private writes: Promise<void> = Promise.resolve();
  private closing = false;
  private finished: Promise<void> | undefined;

  private constructor(
    private readonly options: OpenVoiceCallOptions,
    private readonly engines: VoiceEngines,
    sessionOptions: Omit<VoiceSessionOptions, "respond" | "vad" | "stt" | "tts">,
  ) {
    this.voice = new VoiceSession({
      // Older audio of the recording waits on the data disk, not in memory, until it is saved.
      recordingSpillDirectory: path.join(options.deps.config.dataDir, "recordings", "tmp"),
      ...sessionOptions,
      vad: engines.vad,
      stt: engines.stt,
      tts: engines.tts,
      respond: (text, context) => this.respond(text, context),
    });
    this.voice.on((event) => this.onVoiceEvent(event));
  }

  /**
   * Loads the session and its agent's voice settings and builds the engines. Throws
   * NotFoundError/ConflictError for a missing or ended session and
   * SpeechEngineUnavailableError for an engine this server cannot run.
   */
  static async open(options: OpenVoiceCallOptions): Promise<VoiceCall> {
    const { deps, scope, sessionId, transport } = options;
    const session = await findSession(scope, sessionId);
    assertOpen(session);
    const [version] = await scope.db
      .select({ config: agentVersions.config })
      .from(agentVersions)
      .where(
        scope.where(
          agentVersions,
          and(eq(agentVersions.agentId, session.agentId), eq(agentVersions.version, session.agentVersion)),
        ),
      );
    const config = version?.config as AgentConfig | undefined;
    const settings = config?.voice;
    const entries = await listEntries(scope, sessionId);
    // A fresh session speaks its stored greeting; a resumed one carries on without it.
    const only = entries.length === 1 ? entries[0] : undefined;
    const greeting =
      only?.kind === "message" && only.role === "assistant" ? (only.text ?? undefined) : undefined;
    const sampleRate = transport === "twilio" ? 8000 : 16000;
    // Recognition and voices follow the agent's language unless the STT setting names one.
    const language = settings?.stt?.language ?? config?.language;
    const engines = await createVoiceEngines(settings, {
      sampleRate,
      language,
      modelsDir: deps.config.modelsDir,
      scope,
      encryptionKey: deps.keyring.encryption,
      fetchAllow: deps.config.fetchAllow,
    });
    return new VoiceCall(options, engines, {
      inputSampleRate: sampleRate,
      outputSampleRate: sampleRate,
      playout: transport === "twilio" ? "transport" : "clock",
      greeting,
      // PocketSphinx can fall behind real time on a busy host; a late final beats a lost turn.
      sttFinalTimeoutMs: deps.config.voiceSttFinalTimeoutMs,
      voice: settings?.tts?.voice,
      language,
      ...sessionTuning(settings),
    });
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  on(listener: (event: VoiceCallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.voice.start();
  }

  /** A keypad press: stored as an event and passed to the agent with the caller's next words. */
  pressKey(digit: string): void {
    this.keys = `${this.keys}[DTMF ${digit}] `;
    this.write(() =>
      recordVoiceEvent(this.options.scope, this.sessionId, { type: "dtmf", digit }, this.voice.clockMs),
    );
  }

  /**
   * Ends the call: stops the agent, waits for the transcript to be written, saves the
   * recording and ends the session. Idempotent; resolves when everything is stored.
   */
  finish(reason: string): Promise<void> {
    this.finished ??= this.doFinish(reason);
    return this.finished;
  }

  private async doFinish(reason: string): Promise<void> {
    const { deps, scope } = this.options;
    this.closing = true;
    this.voice.close();
    // The turn in progress was cancelled by close(); wait until it is committed.
    await Promise.allSettled([...this.turns.values()].map((turn) => turn.turnId));
    await this.writes;
    try {
      const file = recordingPath(deps.config.dataDir, scope.orgId, this.sessionId);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, this.voice.getRecording());
    } catch (error) {
      deps.logger.error({ err: error, sessionId: this.sessionId }, "Could not save the call recording");
    } finally {
      this.voice.releaseRecording();
    }
    await this.engines.close().catch(() => {});
    await deps.conversations.end(scope, this.sessionId, reason).catch((error) => {
      deps.logger.warn({ err: error, sessionId: this.sessionId }, "Could not end the voice session");
    });
  }

  private respond(userText: string, { signal, turn }: RespondContext): AsyncIterable<string> {
    const { deps, scope } = this.options;
    const sessionId = this.sessionId;
    const text = `${this.keys}${userText}`.trim();
    this.keys = "";
    let settleTurnId!: (turnId: string | undefined) => void;
    this.turns.set(turn, {
      userStartMs: this.pendingUserStartMs,
      turnId: new Promise((resolve) => {
        settleTurnId = resolve;
      }),
    });
    this.pendingUserStartMs = undefined;
    const deltas = new DeltaQueue();
    const emit = (event: VoiceCallEvent) => this.emit(event);
    const onAbort = () => deps.conversations.cancel(sessionId);
    async function* reply() {
      signal.addEventListener("abort", onAbort, { once: true });
      deps.conversations
        .sendMessage(scope, sessionId, text, (event) => {
          if (event.type === "text-delta") deltas.push(event.text);
          else if (event.type === "handoff") emit({ type: "handoff", from: event.from, to: event.to });
          else if (event.type === "needs-human") emit({ type: "needs-human", detail: event.detail });
        })
        .then(
          (summary) => {
            settleTurnId(summary.turnId || undefined);
            deltas.end();
          },
          (error) => {
            settleTurnId(undefined);
            deltas.end(error);
          },
        );
      try {
        yield* deltas;
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    }
    return reply();
  }

  private onVoiceEvent(event: VoiceSessionEvent): void {
    switch (event.type) {
      case "transcript":
        if (event.final && event.role === "user") this.pendingUserStartMs ??= event.startMs;
        if (event.final && event.role === "agent") this.lastAgentStartMs = event.startMs;
        break;
      case "interrupted":
        this.lastInterruption = {
          heardText: event.heardText,
          generatedText: event.generatedText,
          atMs: event.atMs,
        };
        break;
      case "metrics":
        this.persistMetrics(event.metrics);
        break;
      case "ended":
        // The session ended on its own (idle caller, call too long): wind the call down.
        if (!this.closing) void this.finish(event.reason);
        break;
      case "error":
        this.options.deps.logger.warn({ err: event.error, sessionId: this.sessionId }, "Voice session error");
        this.emit({
          type: "error",
          code: (event.error as { code?: string }).code ?? "voice-session-error",
          message: event.error.message,
        });
        return;
      default:
        break;
    }
    this.emit(event);
  }

  private persistMetrics(metrics: TurnMetrics): void {
    const { scope } = this.options;
    const agentOffsetMs = this.lastAgentStartMs;
    const interruption = metrics.interrupted ? this.lastInterruption : undefined;
    this.lastAgentStartMs = undefined;
    this.lastInterruption = undefined;
    const cause: "hang-up" | "barge-in" = this.closing ? "hang-up" : "barge-in";
    if (metrics.kind === "greeting") {
      const bargeIn = interruption && { ...interruption, cause };
      if (agentOffsetMs !== undefined || bargeIn) {
        this.write(() => recordGreeting(scope, this.sessionId, { offsetMs: agentOffsetMs, bargeIn }));
      }
      return;
    }
    const turn = this.turns.get(metrics.turn);
    if (!turn) return; // a reprompt: spoken, not part of the conversation
    this.write(async () => {
      const turnId = await turn.turnId;
      if (!turnId) return;
      await recordVoiceTurn(scope, this.sessionId, {
        turnId,
        latency: latencyOf(metrics),
        userOffsetMs: turn.userStartMs,
        agentOffsetMs,
        bargeIn: interruption && { ...interruption, cause },
      });
    });
  }

  /** Voice writes go through the session's write queue, one after another. */
  private write(work: () => Promise<void>): void {
    const { deps } = this.options;
    this.writes = this.writes
      .then(() => deps.conversations.annotate(this.sessionId, work))
      .catch((error) =>
        deps.logger.error({ err: error, sessionId: this.sessionId }, "Voice transcript write failed"),
      );
  }

  private emit(event: VoiceCallEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.deps.logger.warn({ err: error }, "Voice event listener failed");
      }
    }
  }
}

function latencyOf(metrics: TurnMetrics): VoiceTurnLatency {
  const round = (value: number | undefined) => (value === undefined ? undefined : Math.round(value));
  return {
    firstAudioMs: round(metrics.responseLatencyMs),
    endpointingMs: round(metrics.endpointingMs),
    sttFinalMs: round(metrics.sttFinalMs),
    llmFirstTokenMs: round(metrics.llmFirstTokenMs),
    firstSentenceMs: round(metrics.firstSentenceMs),
    ttsFirstByteMs: round(metrics.ttsFirstByteMs),
    bargeInReactionMs: round(metrics.bargeInReactionMs),
  };
}

/** The agent's turn-taking settings as VoiceSession options. */
function sessionTuning(settings: VoiceSettings | undefined): Partial<VoiceSessionOptions> {
  if (!settings) return {};
  const tuning: Partial<VoiceSessionOptions> = {};
  if (settings.endpointingMs !== undefined || settings.interruption?.minSpeechMs !== undefined) {
    tuning.endpointing = {
      endSilenceMs: settings.endpointingMs,
      minSpeechMs: settings.interruption?.minSpeechMs,
    };
  }
  if (settings.interruption) {
    tuning.interruption = {
      enabled: settings.interruption.enabled,
      confirmWindowMs: settings.interruption.falseInterruptionMs,
    };
  }
  if (settings.idleTimeoutMs !== undefined && settings.idleReprompt) {
    tuning.idle = { timeoutMs: settings.idleTimeoutMs, reprompt: settings.idleReprompt };
  }
  return tuning;
}
