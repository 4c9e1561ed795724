import { isOratioError } from "../errors.ts";
import { abortError } from "../llm/abort.ts";
import { streamWithFallback } from "../llm/fallback.ts";
import { errorMessage } from "../llm/model-errors.ts";
import {
  addUsage,
  emptyUsage,
  type LanguageModel,
  type ModelRequest,
  type ToolCallPart,
} from "../llm/types.ts";
import { toolsForAgent } from "./builtin-tools.ts";
import type { Citation, KnowledgeRetriever } from "./citations.ts";
import { modelMessages, type Summarizer, systemPrompt } from "./context-policy.ts";
import { EventChannel } from "./event-channel.ts";
import type { ErrorInfo, NeedsHumanReason, TurnEndReason, TurnEvent, TurnResult } from "./events.ts";
import { applyHandoff, DEFAULT_HANDOFF_LOOP_WINDOW_MS, decideHandoff } from "./handoff.ts";
import { asksForHuman, matchedKeyword } from "./human-rules.ts";
import { type ConversationMessage, copyState, messageId, type SessionState } from "./state.ts";
import { runToolRound } from "./tool-runner.ts";
import { type AgentDefinition, type AgentDirectory, findAgent } from "./types.ts";

/** Turns a model reference from an agent definition (e.g. `openai:gpt-4o-mini`) into a model. */
export type ModelResolver = (ref: string) => LanguageModel;

export interface RunTurnOptions {
  agents: AgentDirectory;
  state: SessionState;
  /** The caller's new message; omit to let the active agent continue (e.g. after a tool-less handoff). */
  input?: string;
  models: ModelResolver;
  retriever?: KnowledgeRetriever;
  /** Abort on barge-in or a new user message: the model stream and running tools stop. */
  signal?: AbortSignal;
  /** Values handed to tools as `ctx.context` (org id, caller number…), never to the model. */
  context?: Readonly<Record<string, unknown>>;
  summarize?: Summarizer;
  handoffLoopWindowMs?: number;
  now?: () => number;
}

export interface TurnStream extends AsyncIterable<TurnEvent> {
  /** Settles when the turn is over, whether or not the events were read. */
  result: Promise<TurnResult>;
}

const DEFAULT_MAX_STEPS = 8;

/**
 * Runs one conversational turn: caller input → model (with fallbacks) → tools → model… until
 * the agent replies without tools, hands off, ends the session, is cancelled or fails.
 * Leaving the event loop early (break) cancels the turn.
 */
export function runTurn(options: RunTurnOptions): TurnStream {
  const leave = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, leave.signal]) : leave.signal;
  const channel = new EventChannel<TurnEvent>(() => leave.abort(abortError()));
  const result = new TurnRunner(options, signal, (event) => channel.push(event))
    .run()
    .finally(() => channel.close());
  // The caller may only read events; a rejection (a bug, not a turn failure) must not crash the process.
  result.catch(() => {});
  return { [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](), result };
}

class TurnRunner {
  readonly #o: RunTurnOptions;
  readonly #signal: AbortSignal;
  readonly #emit: (event: TurnEvent) => void;
  readonly #now: () => number;
  readonly #state: SessionState;
  readonly #startedAt = performance.now();
  readonly #citations: Citation[] = [];
  #turnId = "";
  #usage = emptyUsage();
  #modelMs = 0;
  #toolMs = 0;
  #firstTextMs: number | undefined;
  #text = "";

  constructor(options: RunTurnOptions, signal: AbortSignal, emit: (event: TurnEvent) => void) {
    this.#o = options;
    this.#signal = signal;
    this.#emit = emit;
    this.#now = options.now ?? Date.now;
    this.#state = copyState(options.state);
  }

  async run(): Promise<TurnResult> {
    const state = this.#state;
    state.turns++;
    this.#turnId = `${state.id}:${state.turns}`;
    this.#emit({ type: "turn-start", turnId: this.#turnId, agent: state.activeAgent, at: this.#now() });
    if (state.ended) return this.#finish("session-ended");
    let agent = findAgent(this.#o.agents, state.activeAgent);
    if (!agent) {
      return this.#fail({
        code: "unknown-agent",
        message: `No agent "${state.activeAgent}".`,
        retryable: false,
      });
    }
    if (this.#o.input !== undefined) {
      this.#commit({ role: "user", content: this.#o.input });
      this.#applyHumanRules(agent, this.#o.input);
    }
    const maxSteps = agent.limits?.maxStepsPerTurn ?? DEFAULT_MAX_STEPS;
    try {
      for (let step = 0; step < maxSteps; step++) {
        if (this.#signal.aborted) return this.#finish("aborted");
        const outcome = await this.#step(agent);
        if (outcome.kind === "done") return this.#finish(outcome.reason);
        agent = outcome.agent;
      }
      return this.#finish("max-steps");
    } catch (error) {
      if (this.#signal.aborted) return this.#finish("aborted");
      return this.#fail(errorInfo(error));
    }
  }

  /** One model call and, if it asked for tools, one tool round. */
  async #step(
    agent: AgentDefinition,
  ): Promise<{ kind: "done"; reason: TurnEndReason } | { kind: "continue"; agent: AgentDefinition }> {
    const state = this.#state;
    const tools = toolsForAgent(agent, this.#o.agents, this.#o.retriever);
    const request: ModelRequest = {
      system: systemPrompt(agent.instructions, state.context.summary),
      messages: modelMessages(state),
      tools: tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
      temperature: agent.model.temperature,
      maxTokens: agent.model.maxTokens,
      responseFormat: agent.responseSchema ? { type: "json", schema: agent.responseSchema } : undefined,
    };
    const models = [agent.model.model, ...(agent.model.fallbacks ?? [])].map((ref) => this.#o.models(ref));
    let reply = "";
    const calls: ToolCallPart[] = [];
    try {
      const parts = streamWithFallback(models, request, {
        signal: this.#signal,
        firstPartTimeoutMs: agent.model.firstTokenTimeoutMs,
        onFallback: (notice) =>
          this.#emit({
            type: "fallback",
            agent: agent.slug,
            from: notice.from,
            to: notice.to,
            error: errorInfo(notice.error),
            at: this.#now(),
          }),
      })[Symbol.asyncIterator]();
      while (true) {
        const waitStart = performance.now();
        const next = await parts.next();
        this.#modelMs += performance.now() - waitStart;
        if (next.done) break;
        const part = next.value;
        if (part.type === "text-delta") {
          if (part.text === "") continue;
          reply += part.text;
          this.#text += part.text;
          this.#firstTextMs ??= performance.now() - this.#startedAt;
          this.#emit({ type: "text-delta", agent: agent.slug, text: part.text });
        } else if (part.type === "tool-call") {
          calls.push({ id: part.id || `call_${messageId()}`, name: part.name, args: part.args });
        } else this.#usage = addUsage(this.#usage, part.usage);
      }
    } catch (error) {
      // Keep what the caller already heard, marked as cut short.
      if (reply !== "")
        this.#commit({ role: "assistant", content: reply, agent: agent.slug, interrupted: true });
      if (this.#signal.aborted) return { kind: "done", reason: "aborted" };
      this.#emit({ type: "error", agent: agent.slug, error: errorInfo(error), at: this.#now() });
      return { kind: "done", reason: "error" };
    }
    this.#commit({
      role: "assistant",
      content: reply,
      agent: agent.slug,
      ...(calls.length > 0 ? { toolCalls: calls } : {}),
    });
    if (calls.length === 0) return { kind: "done", reason: "completed" };
    return this.#toolRound(agent, calls, tools);
  }

  async #toolRound(
    agent: AgentDefinition,
    calls: ToolCallPart[],
    tools: ReturnType<typeof toolsForAgent>,
  ): Promise<{ kind: "done"; reason: TurnEndReason } | { kind: "continue"; agent: AgentDefinition }> {
    const state = this.#state;
    const started = performance.now();
    const { outcomes, control } = await runToolRound({
      calls,
      tools: new Map(tools.map((t) => [t.name, t])),
      state,
      agent: agent.slug,
      limits: agent.limits,
      context: this.#o.context ?? {},
      signal: this.#signal,
      now: this.#now,
      emit: this.#emit,
      citations: this.#citations,
      decideTransfer: (to) => {
        const decision = decideHandoff(
          state,
          this.#o.agents,
          agent,
          to,
          this.#now(),
          this.#o.handoffLoopWindowMs ?? DEFAULT_HANDOFF_LOOP_WINDOW_MS,
        );
        if (decision.ok) return { accepted: true };
        this.#emit({
          type: "handoff-refused",
          from: agent.slug,
          to,
          reason: decision.reason,
          at: this.#now(),
        });
        return { accepted: false, reason: decision.reason };
      },
    });
    this.#toolMs += performance.now() - started;
    // Every call gets a result message, cancelled ones included, so the history stays valid
    // for model APIs that require a result for each tool call.
    for (const outcome of outcomes) {
      this.#commit({
        role: "tool",
        toolCallId: outcome.call.id,
        toolName: outcome.call.name,
        content: outcome.content,
        isError: outcome.isError,
        agent: agent.slug,
      });
      if (!outcome.cancelled)
        state.consecutiveToolFailures = outcome.isError ? state.consecutiveToolFailures + 1 : 0;
    }
    if (this.#signal.aborted) return { kind: "done", reason: "aborted" };
    if (control.human !== undefined) this.#raiseHuman(agent, "tool", control.human);
    const maxFailures = agent.humanHandoff?.maxConsecutiveToolFailures;
    if (maxFailures !== undefined && state.consecutiveToolFailures >= maxFailures) {
      this.#raiseHuman(
        agent,
        "tool-failures",
        `${state.consecutiveToolFailures} tool calls failed in a row.`,
      );
    }
    if (control.end !== undefined) {
      state.ended = true;
      this.#emit({ type: "session-end", agent: agent.slug, reason: control.end, at: this.#now() });
      return { kind: "done", reason: "ended" };
    }
    if (control.transfer) {
      const target = findAgent(this.#o.agents, control.transfer.to)!;
      const policy = agent.handoffs?.find((h) => h.to === target.slug)?.context ?? "full";
      const record = {
        from: agent.slug,
        to: target.slug,
        at: this.#now(),
        policy,
        reason: control.transfer.reason,
      };
      await applyHandoff(state, record, this.#o.summarize, this.#signal);
      this.#emit({ type: "handoff", ...record, voice: target.voice, model: target.model });
      if (target.onEnter) {
        this.#text += target.onEnter;
        this.#emit({ type: "text-delta", agent: target.slug, text: target.onEnter });
        this.#commit({ role: "assistant", content: target.onEnter, agent: target.slug });
        return { kind: "done", reason: "handoff" };
      }
      return { kind: "continue", agent: target };
    }
    return { kind: "continue", agent };
  }

  #applyHumanRules(agent: AgentDefinition, input: string): void {
    const rules = agent.humanHandoff;
    const keyword = matchedKeyword(input, rules);
    if (keyword) this.#raiseHuman(agent, "keyword", `The caller said "${keyword}".`);
    if (asksForHuman(input)) {
      this.#state.humanRequests++;
      const threshold = rules?.askThreshold;
      if (threshold !== undefined && this.#state.humanRequests >= threshold) {
        this.#raiseHuman(
          agent,
          "repeated-request",
          `The caller asked for a person ${this.#state.humanRequests} times.`,
        );
      }
    }
  }

  /** Rule-based alerts fire once per session; an explicit request_human call always does. */
  #raiseHuman(agent: AgentDefinition, reason: NeedsHumanReason, detail: string): void {
    if (this.#state.needsHuman && reason !== "tool") return;
    this.#state.needsHuman = true;
    this.#emit({ type: "needs-human", agent: agent.slug, reason, detail, at: this.#now() });
  }

  #commit(message: DistributiveOmit<ConversationMessage, "id" | "at">): void {
    const full = { ...message, id: messageId(), at: this.#now() } as ConversationMessage;
    this.#state.messages.push(full);
    this.#emit({ type: "message", message: full });
  }

  #fail(error: ErrorInfo): TurnResult {
    this.#emit({ type: "error", agent: this.#state.activeAgent, error, at: this.#now() });
    return this.#finish("error");
  }

  #finish(reason: TurnEndReason): TurnResult {
    const totalMs = performance.now() - this.#startedAt;
    const latency = {
      firstTextMs: this.#firstTextMs,
      totalMs,
      modelMs: this.#modelMs,
      toolMs: this.#toolMs,
      overheadMs: Math.max(0, totalMs - this.#modelMs - this.#toolMs),
    };
    this.#emit({
      type: "turn-end",
      turnId: this.#turnId,
      agent: this.#state.activeAgent,
      reason,
      usage: this.#usage,
      latency,
      at: this.#now(),
    });
    return {
      state: this.#state,
      reason,
      usage: this.#usage,
      latency,
      text: this.#text,
      citations: this.#citations,
    };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function errorInfo(error: unknown): ErrorInfo {
  if (isOratioError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: "internal-error", message: errorMessage(error), retryable: false };
}
