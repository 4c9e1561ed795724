import { type Agent, type VoiceCall, VoiceCallError } from "@oratio/sdk";
import { Loader2, Mic, MicOff, Phone, PhoneOff } from "lucide-react";
import { useEffect, useReducer, useRef, useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../../components/ui/card.tsx";
import { useApi } from "../../../lib/api.tsx";
import { describeError } from "../../../lib/errors.ts";
import { cn } from "../../../lib/utils.ts";
import {
  applyVoiceEvent,
  formatMs,
  initialVoiceView,
  latencyParts,
  type VoiceCallView,
  type VoiceLine,
} from "./voice-call-view.ts";

type Phase = "idle" | "starting" | "live" | "ending";

type Action = { type: "reset" } | { type: "event"; event: Parameters<typeof applyVoiceEvent>[1] };

function reducer(view: VoiceCallView, action: Action): VoiceCallView {
  return action.type === "reset" ? initialVoiceView : applyVoiceEvent(view, action.event);
}

const STATE_TEXT = {
  listening: "Listening",
  thinking: "Thinking",
  speaking: "Speaking",
} as const;

/**
 * Talk to the agent's latest version by voice: microphone in, the agent's speech out, the
 * live transcript of both sides, what the agent is doing, and how long each answer took to
 * start. Speaking while the agent talks interrupts it, as on a phone call.
 */
export function VoiceCallPanel({ agent }: { agent: Agent }) {
  const client = useApi();
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [muted, setMuted] = useState(false);
  const [view, dispatch] = useReducer(reducer, initialVoiceView);
  const call = useRef<VoiceCall | null>(null);
  const starting = useRef<AbortController | null>(null);

  // Leaving the page hangs up; the call stays in Sessions with its transcript.
  useEffect(
    () => () => {
      starting.current?.abort();
      void call.current?.hangUp();
    },
    [],
  );

  async function start() {
    setError(null);
    setMuted(false);
    dispatch({ type: "reset" });
    setPhase("starting");
    const controller = new AbortController();
    starting.current = controller;
    let sessionId: string | undefined;
    try {
      const started = await client.voice.call(
        async (signal) => {
          const session = await client.sessions.create(
            {
              agentId: agent.id,
              channel: "voice",
              version: agent.latestVersion,
              metadata: { source: "playground" },
            },
            { signal },
          );
          sessionId = session.id;
          return session.id;
        },
        {
          signal: controller.signal,
          onEvent: (event) => {
            dispatch({ type: "event", event });
            if (event.type === "closed") {
              call.current = null;
              setPhase("idle");
            }
          },
        },
      );
      if (controller.signal.aborted) {
        // The page was left while the call was connecting.
        void started.hangUp();
        return;
      }
      call.current = started;
      setPhase((current) => (current === "starting" ? "live" : current));
    } catch (cause) {
      // A call that never got going must not leave its session looking live.
      if (sessionId) client.sessions.end(sessionId).catch(() => undefined);
      if (controller.signal.aborted) return;
      setError(cause instanceof VoiceCallError ? cause.message : describeError(cause));
      setPhase("idle");
    } finally {
      if (starting.current === controller) starting.current = null;
    }
  }

  async function end() {
    setPhase("ending");
    await call.current?.hangUp();
    call.current = null;
    setPhase("idle");
  }

  function toggleMute() {
    const next = !muted;
    call.current?.setMuted(next);
    setMuted(next);
  }

  const live = phase === "live" || phase === "ending";
  // Turns with a figure to show: answers (time to first audio) and barge-ins (time to silence).
  const timedTurns = view.turns.filter(
    (turn) => turn.responseLatencyMs !== undefined || turn.bargeInReactionMs !== undefined,
  );

  return (
    <Card aria-labelledby="voice-call-title" className="grid gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <CardTitle id="voice-call-title">Voice call</CardTitle>
          <CardDescription>
            Talk to version {agent.latestVersion} of {agent.name} with your microphone; speak while it talks
            to interrupt.
          </CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          {live && (
            <Button variant="outline" aria-pressed={muted} onClick={toggleMute} disabled={phase === "ending"}>
              {muted ? <MicOff aria-hidden /> : <Mic aria-hidden />} Mute microphone
            </Button>
          )}
          {live ? (
            <Button variant="destructive" onClick={end} disabled={phase === "ending"}>
              <PhoneOff aria-hidden /> End call
            </Button>
          ) : (
            <Button onClick={start} disabled={phase === "starting"}>
              {phase === "starting" ? (
                <Loader2 className="animate-spin" aria-hidden />
              ) : (
                <Phone aria-hidden />
              )}
              Start voice call
            </Button>
          )}
        </div>
      </div>

      {error && (
        <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {error}
        </p>
      )}

      {(live || phase === "starting") && (
        <div role="status" className="flex flex-wrap items-center gap-3 text-sm">
          {phase === "starting" ? (
            <span className="text-subtle">Connecting…</span>
          ) : (
            <>
              <StateIndicator state={view.agentState} />
              <span>
                {agent.name} is {STATE_TEXT[view.agentState].toLowerCase()}
              </span>
              {view.userSpeaking && <span className="text-subtle">· You are speaking</span>}
              {muted && <span className="text-destructive">· Microphone muted</span>}
            </>
          )}
        </div>
      )}

      {(view.lines.length > 0 || live) && (
        <ol
          aria-label="Call transcript"
          aria-live="polite"
          className="grid max-h-80 min-h-24 content-start gap-2 overflow-y-auto rounded-md bg-background p-3"
        >
          {view.lines.length === 0 && (
            <li className="text-sm text-subtle">Say something — your words appear here.</li>
          )}
          {view.lines.map((line) => (
            <TranscriptLine key={line.id} line={line} agentName={agent.name} />
          ))}
        </ol>
      )}

      {view.endedReason && !live && (
        <p className="text-sm text-subtle">The call ended. It is kept in Sessions with its recording.</p>
      )}

      {timedTurns.length > 0 && (
        <section aria-labelledby="voice-latency-title" className="grid gap-2">
          <h3 id="voice-latency-title" className="text-sm font-medium">
            Response time per turn
          </h3>
          <ul aria-label="Turn latency" className="grid gap-1 text-sm">
            {timedTurns.map((turn) => (
              <li key={turn.turn} className="flex flex-wrap gap-x-2">
                <span className="font-medium">
                  Turn {turn.turn}
                  {turn.kind === "greeting" ? " (greeting)" : ""}
                  {turn.responseLatencyMs !== undefined
                    ? `: ${formatMs(turn.responseLatencyMs)} to first audio`
                    : ""}
                </span>
                <span className="text-subtle">{turnDetails(turn)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Card>
  );
}

/** "recognition 120 ms · model first token 300 ms · interrupted · stopped 40 ms after you spoke". */
function turnDetails(turn: VoiceCallView["turns"][number]): string {
  const details = latencyParts(turn).map((part) => `${part.label} ${formatMs(part.ms)}`);
  if (turn.interrupted) details.push("interrupted");
  if (turn.bargeInReactionMs !== undefined)
    details.push(`stopped ${formatMs(turn.bargeInReactionMs)} after you spoke`);
  return details.join(" · ");
}

function StateIndicator({ state }: { state: VoiceCallView["agentState"] }) {
  return (
    <span
      aria-hidden
      className={cn(
        "inline-block size-2.5 rounded-full",
        state === "listening" && "bg-success",
        state === "thinking" && "animate-pulse bg-secondary",
        state === "speaking" && "animate-pulse bg-accent",
      )}
    />
  );
}

function TranscriptLine({ line, agentName }: { line: VoiceLine; agentName: string }) {
  if (line.kind === "notice") {
    return (
      <li
        className={cn(
          "justify-self-center rounded-full px-3 py-1 text-xs",
          line.tone === "error"
            ? "bg-destructive/10 text-destructive"
            : "bg-secondary text-secondary-foreground",
        )}
      >
        {line.text}
      </li>
    );
  }
  const isUser = line.role === "user";
  return (
    <li
      className={cn(
        "max-w-[85%] rounded-lg px-3 py-2 text-sm",
        isUser
          ? "justify-self-end rounded-br-sm bg-primary text-primary-foreground"
          : "justify-self-start rounded-bl-sm border border-border bg-surface",
      )}
    >
      <span className={cn("mb-0.5 block text-xs font-medium", isUser ? "opacity-80" : "text-subtle")}>
        {isUser ? "You" : agentName}
        {line.final ? "" : " (still listening)"}
        {line.interrupted ? " (interrupted)" : ""}
      </span>
      <span className={cn(!line.final && "italic opacity-80")}>{line.text}</span>
    </li>
  );
}
