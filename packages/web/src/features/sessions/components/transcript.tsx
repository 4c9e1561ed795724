import type { TranscriptEntry } from "@oratio/sdk";
import { ArrowRightLeft, Gauge, Info, Play } from "lucide-react";
import { type SourceLike, Sources } from "../../../components/conversation/sources.tsx";
import { ToolCallView } from "../../../components/conversation/tool-call.tsx";
import { cn } from "../../../lib/utils.ts";
import { clock } from "../recording-sync.ts";

type Data = Record<string, unknown>;
const dataOf = (entry: TranscriptEntry): Data => (entry.data ?? {}) as Data;
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

function ms(value: number | undefined): string | null {
  if (value === undefined) return null;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** The turn's figures: latency, tokens and estimated cost. */
export function turnSummary(data: Data): string {
  const latency = (data.latency ?? {}) as Data;
  const usage = (data.usage ?? {}) as Data;
  const parts = [
    ms(num(latency.totalMs)) && `${ms(num(latency.totalMs))} total`,
    ms(num(latency.firstTextMs)) && `first text ${ms(num(latency.firstTextMs))}`,
    ms(num(latency.overheadMs)) && `overhead ${ms(num(latency.overheadMs))}`,
    `${num(usage.inputTokens) ?? 0} in / ${num(usage.outputTokens) ?? 0} out tokens`,
    `$${(num(data.costUsd) ?? 0).toFixed(4)}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

/** Jumps the recording to where an entry was said. */
function SeekButton({ entry, onSeek }: { entry: TranscriptEntry; onSeek?: (ms: number) => void }) {
  if (!onSeek || entry.audioOffsetMs === null) return null;
  const at = clock(entry.audioOffsetMs);
  return (
    <button
      type="button"
      onClick={() => onSeek(entry.audioOffsetMs ?? 0)}
      aria-label={`Play from ${at}`}
      className="inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs text-subtle tabular-nums hover:bg-muted hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <Play className="size-3" aria-hidden /> {at}
    </button>
  );
}

/**
 * A whole conversation as stored: messages from the customer, agents and operators; tool
 * calls with their results; cited sources under the answer they support; handoffs, events,
 * and each turn's figures. With a recording, entries carry their place in the audio: the
 * one being heard (`activeSeq`) is highlighted and clicking a time plays from there.
 */
export function Transcript({
  entries,
  activeSeq = null,
  onSeek,
}: {
  entries: TranscriptEntry[];
  activeSeq?: number | null;
  onSeek?: (ms: number) => void;
}) {
  const results = new Map<string, Data>();
  const citationsByTurn = new Map<string, SourceLike[]>();
  const lastAnswerOfTurn = new Map<string, number>();
  for (const entry of entries) {
    const data = dataOf(entry);
    if (entry.kind === "tool_result" && typeof data.toolCallId === "string")
      results.set(data.toolCallId, data);
    if (entry.kind === "citation" && entry.turnId) {
      const list = citationsByTurn.get(entry.turnId) ?? [];
      if (!list.some((c) => c.id === data.id)) list.push(data as unknown as SourceLike);
      citationsByTurn.set(entry.turnId, list);
    }
    if (entry.kind === "message" && entry.role === "assistant" && entry.turnId)
      lastAnswerOfTurn.set(entry.turnId, entry.seq);
  }

  return (
    <ol className="grid gap-3" aria-label="Transcript">
      {entries.map((entry) => {
        const data = dataOf(entry);
        switch (entry.kind) {
          case "message": {
            const role = entry.role ?? "assistant";
            const mine = role === "user";
            const cites =
              entry.turnId && lastAnswerOfTurn.get(entry.turnId) === entry.seq
                ? citationsByTurn.get(entry.turnId)
                : undefined;
            const active = entry.seq === activeSeq;
            return (
              <li
                key={entry.seq}
                aria-current={active ? "true" : undefined}
                className={cn("grid gap-0.5", mine ? "justify-items-end" : "justify-items-start")}
              >
                <SeekButton entry={entry} onSeek={onSeek} />
                <article
                  aria-label={`${role === "user" ? "Customer" : role === "operator" ? "Operator" : (entry.agent ?? "Agent")} message`}
                  className={cn(
                    "max-w-[85%] rounded-lg px-3 py-2 text-sm",
                    mine && "rounded-br-sm bg-primary text-primary-foreground",
                    role === "assistant" && "rounded-bl-sm border border-border bg-surface",
                    role === "operator" && "rounded-bl-sm border border-accent/50 bg-accent/10",
                    active && "ring-2 ring-brand-orange ring-offset-2 ring-offset-surface",
                  )}
                >
                  <p className={cn("mb-0.5 text-xs font-medium", mine ? "opacity-80" : "text-subtle")}>
                    {role === "user" ? "Customer" : role === "operator" ? "Operator" : entry.agent}
                  </p>
                  <p className="whitespace-pre-wrap">{entry.text}</p>
                  {cites && <Sources sources={cites} />}
                </article>
              </li>
            );
          }
          case "tool_call": {
            const id = typeof data.toolCallId === "string" ? data.toolCallId : "";
            const result = results.get(id);
            return (
              <li key={entry.seq} className="max-w-[85%]">
                <ToolCallView
                  name={String(data.name ?? "tool")}
                  args={data.args}
                  result={result ? String(result.result ?? "") : undefined}
                  isError={Boolean(result?.isError)}
                />
              </li>
            );
          }
          case "handoff":
            return (
              <li key={entry.seq} className="justify-self-center">
                <p className="flex items-center gap-2 rounded-full bg-muted px-3 py-1 text-xs">
                  <ArrowRightLeft className="size-3.5" aria-hidden />
                  {entry.text ?? `Handed off from ${String(data.from)} to ${String(data.to)}`}
                  {data.policy ? ` (${String(data.policy)} context)` : ""}
                </p>
              </li>
            );
          case "event":
            return (
              <li
                key={entry.seq}
                aria-current={entry.seq === activeSeq ? "true" : undefined}
                className="flex items-center gap-1 justify-self-center"
              >
                <SeekButton entry={entry} onSeek={onSeek} />
                <p
                  className={cn(
                    "flex items-center gap-2 rounded-full px-3 py-1 text-xs",
                    data.type === "needs-human" ? "bg-secondary text-secondary-foreground" : "bg-muted",
                    entry.seq === activeSeq && "ring-2 ring-brand-orange",
                  )}
                >
                  <Info className="size-3.5" aria-hidden />
                  {describeEvent(entry, data)}
                </p>
              </li>
            );
          case "turn":
            return (
              <li key={entry.seq} className="flex items-center gap-1.5 text-xs text-subtle">
                <Gauge className="size-3.5" aria-hidden />
                <span>Turn: {turnSummary(data)}</span>
              </li>
            );
          default:
            // tool_result and citation entries are shown with their call and answer above.
            return null;
        }
      })}
    </ol>
  );
}

function describeEvent(entry: TranscriptEntry, data: Data): string {
  switch (data.type) {
    case "needs-human":
      return `Asked for a person: ${String(data.detail ?? data.reason ?? "")}`;
    case "session-end":
      return `Conversation ended (${String(data.reason ?? "")})`;
    case "fallback":
      return "Switched to a fallback model";
    case "handoff-refused":
      return `Handoff refused: ${String(data.reason ?? "")}`;
    case "takeover":
      return "An operator took over the conversation";
    case "release":
      return "The operator handed the conversation back to the agent";
    case "error":
      return `Error: ${String((data.error as Data | undefined)?.message ?? "")}`;
    default:
      if (entry.text === "takeover") return "An operator took over the conversation";
      if (entry.text === "release") return "The operator handed the conversation back to the agent";
      return entry.text ?? String(data.type ?? "Event");
  }
}
