import { extractiveSummary, lastUserIndex, type Summarizer } from "./context-policy.ts";
import type { HandoffRecord, SessionState } from "./state.ts";
import { type AgentDefinition, type AgentDirectory, findAgent, type HandoffContextPolicy } from "./types.ts";

export const DEFAULT_HANDOFF_LOOP_WINDOW_MS = 5 * 60_000;

export type HandoffDecision =
  | { ok: true; target: AgentDefinition; policy: HandoffContextPolicy }
  | { ok: false; reason: string };

/**
 * Decides whether `from` may hand to `to`. A transfer back to an agent that handed the
 * conversation over within the window (A→B→A) is refused: two agents bouncing a caller
 * between them is the failure mode this guards against.
 */
export function decideHandoff(
  state: SessionState,
  directory: AgentDirectory,
  from: AgentDefinition,
  to: string,
  now: number,
  windowMs: number,
): HandoffDecision {
  const spec = from.handoffs?.find((h) => h.to === to);
  const target = findAgent(directory, to);
  if (!spec || !target) return { ok: false, reason: `${from.name} cannot transfer to "${to}".` };
  const bounce = [...state.handoffs]
    .reverse()
    .find((h: HandoffRecord) => h.from === to && h.to === from.slug && now - h.at <= windowMs);
  if (bounce) {
    return {
      ok: false,
      reason: `${target.name} transferred this conversation here ${Math.round((now - bounce.at) / 1000)} s ago; transferring back would loop.`,
    };
  }
  return { ok: true, target, policy: spec.context ?? "full" };
}

/** Switches the active agent and sets what it will see, per the handoff's context policy. */
export async function applyHandoff(
  state: SessionState,
  record: HandoffRecord,
  summarize: Summarizer = extractiveSummary,
  signal?: AbortSignal,
): Promise<void> {
  state.handoffs.push(record);
  state.activeAgent = record.to;
  if (record.policy === "full") {
    state.context = { fromIndex: 0 };
    return;
  }
  const fromIndex = lastUserIndex(state.messages);
  if (record.policy === "none") {
    state.context = { fromIndex };
    return;
  }
  const summary = await summarize(state.messages.slice(0, fromIndex), signal);
  state.context = { fromIndex, summary };
}
