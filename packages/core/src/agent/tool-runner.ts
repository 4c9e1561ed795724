import { abortError, isAbortError } from "../llm/abort.ts";
import { errorMessage } from "../llm/model-errors.ts";
import type { ToolCallPart } from "../llm/types.ts";
import type { Citation } from "./citations.ts";
import type { TurnEvent } from "./events.ts";
import type { SessionState } from "./state.ts";
import type { Tool, ToolContext, TransferAnswer } from "./tool.ts";
import type { AgentLimits } from "./types.ts";

export interface ToolOutcome {
  call: ToolCallPart;
  content: string;
  isError: boolean;
  /** The tool was not run or was stopped because the turn was cancelled. */
  cancelled: boolean;
}

export interface ControlRequests {
  transfer?: { to: string; reason?: string; toolCallId: string };
  human?: string;
  end?: string;
}

export interface ToolRoundInput {
  calls: ToolCallPart[];
  tools: ReadonlyMap<string, Tool>;
  state: SessionState;
  agent: string;
  limits: AgentLimits | undefined;
  context: Readonly<Record<string, unknown>>;
  signal: AbortSignal;
  now: () => number;
  emit: (event: TurnEvent) => void;
  citations: Citation[];
  /** Loop prevention and target checks, decided when the tool asks so the model hears the answer. */
  decideTransfer: (to: string) => TransferAnswer;
}

/**
 * Runs one round of tool calls concurrently. Budget, rate limits and argument validation
 * are checked first; a refused or failing call becomes an error result the model can read,
 * never an exception that ends the turn.
 */
export async function runToolRound(
  input: ToolRoundInput,
): Promise<{ outcomes: ToolOutcome[]; control: ControlRequests }> {
  const control: ControlRequests = {};
  const outcomes = await Promise.all(input.calls.map((call) => runOne(call, input, control)));
  return { outcomes, control };
}

async function runOne(
  call: ToolCallPart,
  input: ToolRoundInput,
  control: ControlRequests,
): Promise<ToolOutcome> {
  const { state, emit, agent } = input;
  const started = performance.now();
  const parsed = parseArgs(call.args);
  emit({
    type: "tool-call",
    agent,
    toolCallId: call.id,
    name: call.name,
    args: parsed.ok ? parsed.value : call.args,
  });

  const finish = (content: string, isError: boolean, cancelled = false): ToolOutcome => {
    emit({
      type: "tool-result",
      agent,
      toolCallId: call.id,
      name: call.name,
      result: content,
      isError,
      durationMs: performance.now() - started,
    });
    return { call, content, isError, cancelled };
  };

  if (input.signal.aborted) return finish("Cancelled: the caller interrupted.", true, true);
  const tool = input.tools.get(call.name);
  if (!tool) return finish(`Error: there is no tool named "${call.name}".`, true);
  const refusal = admit(call.name, input);
  if (refusal) return finish(`Error: ${refusal}`, true);
  if (!parsed.ok)
    return finish(`Error: arguments are not valid JSON (${parsed.message}). Call the tool again.`, true);
  const checked = tool.checkArgs(parsed.value);
  if (!checked.ok)
    return finish(`Error: invalid arguments: ${checked.message}. Fix them and call again.`, true);

  const callSignal = tool.timeoutMs
    ? AbortSignal.any([input.signal, AbortSignal.timeout(tool.timeoutMs)])
    : input.signal;
  const ctx: ToolContext = {
    signal: callSignal,
    sessionId: state.id,
    agent,
    toolCallId: call.id,
    context: input.context,
    cite(citation) {
      input.citations.push(citation);
      emit({ type: "citation", agent, toolCallId: call.id, citation });
    },
    control: {
      transfer(to, reason) {
        if (control.transfer) return { accepted: false, reason: "Another transfer is already under way." };
        const answer = input.decideTransfer(to);
        if (answer.accepted) control.transfer = { to, reason, toolCallId: call.id };
        return answer;
      },
      requestHuman(reason) {
        control.human ??= reason;
      },
      endSession(reason) {
        control.end ??= reason ?? "completed";
      },
    },
  };
  try {
    const value = await untilAborted(Promise.resolve(tool.execute(checked.value, ctx)), callSignal);
    return finish(stringify(value), false);
  } catch (error) {
    if (input.signal.aborted) return finish("Cancelled: the caller interrupted.", true, true);
    if (callSignal.aborted || isAbortError(error) || (error as Error)?.name === "TimeoutError") {
      return finish(`Error: the tool did not finish within ${tool.timeoutMs} ms.`, true);
    }
    return finish(`Error: ${errorMessage(error)}`, true);
  }
}

/** Applies the session budget and the per-tool sliding-window limit; records admitted calls. */
function admit(name: string, input: ToolRoundInput): string | undefined {
  const { state, limits } = input;
  const budget = limits?.maxToolCallsPerSession;
  if (budget !== undefined && state.toolCallsUsed >= budget) {
    return "the tool-call budget for this session is used up. Answer without tools.";
  }
  const rate = limits?.toolRateLimits?.[name];
  const now = input.now();
  const times = state.toolCallTimes[name] ?? [];
  if (rate) {
    const recent = times.filter((t) => now - t < rate.windowMs);
    state.toolCallTimes[name] = recent;
    if (recent.length >= rate.maxCalls) {
      return `"${name}" may be called at most ${rate.maxCalls} times per ${Math.round(rate.windowMs / 1000)} s. Try later or answer without it.`;
    }
    recent.push(now);
  }
  state.toolCallsUsed++;
  return undefined;
}

function parseArgs(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}

function stringify(value: unknown): string {
  if (value === undefined) return "Done.";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A tool that ignores its signal must still not hold a cancelled turn open. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
