import { describe, expect, it } from "vitest";
import { ProviderError } from "../errors.ts";
import { collectTurn, eventsOfType } from "../testing/helpers.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { runTurn } from "./run-turn.ts";
import { createSession } from "./state.ts";
import { defineTool } from "./tool.ts";
import type { AgentDefinition } from "./types.ts";

function agent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    name: "Front desk",
    slug: "front",
    instructions: "You answer the phone for a clinic.",
    greeting: "Hello, clinic here.",
    model: { model: "main" },
    ...overrides,
  };
}

describe("runTurn", () => {
  it("streams a reply, commits the transcript through message events and leaves the input state untouched", async () => {
    const front = agent();
    const model = new ScriptedModel({
      steps: [{ text: ["We open ", "at nine."], usage: { inputTokens: 12, outputTokens: 5 } }],
    });
    const state = createSession(front, { id: "s1" });
    const { events, result } = await collectTurn(
      runTurn({ agents: { front }, state, input: "When do you open?", models: () => model }),
    );

    expect(events.map((e) => e.type)).toEqual([
      "turn-start",
      "message",
      "text-delta",
      "text-delta",
      "message",
      "turn-end",
    ]);
    expect(result.text).toBe("We open at nine.");
    expect(result.reason).toBe("completed");
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 5 });
    const turnEnd = eventsOfType(events, "turn-end")[0]!;
    expect(turnEnd.usage).toEqual({ inputTokens: 12, outputTokens: 5 });
    expect(turnEnd.latency.totalMs).toBeGreaterThanOrEqual(turnEnd.latency.modelMs);
    expect(result.state.messages.map((m) => [m.role, m.content])).toEqual([
      ["assistant", "Hello, clinic here."],
      ["user", "When do you open?"],
      ["assistant", "We open at nine."],
    ]);
    expect(eventsOfType(events, "message").map((e) => e.message.content)).toEqual([
      "When do you open?",
      "We open at nine.",
    ]);
    expect(state.messages).toHaveLength(1);
    expect(result.state.turns).toBe(1);

    const sent = model.requests[0]!;
    expect(sent.system).toBe("You answer the phone for a clinic.");
    expect(sent.messages).toEqual([
      { role: "assistant", content: "Hello, clinic here." },
      { role: "user", content: "When do you open?" },
    ]);
    expect(sent.tools!.map((t) => t.name).sort()).toEqual(["end_session", "request_human"]);
    model.assertDone();
  });

  it("uses the agent's fallback model when the primary fails, and records the fallback", async () => {
    const front = agent({ model: { model: "primary", fallbacks: ["backup"] } });
    const primary = new ScriptedModel({
      modelId: "p",
      steps: [{ error: new ProviderError("openai", "overloaded", { upstreamStatus: 529 }) }],
    });
    const backup = new ScriptedModel({ modelId: "b", steps: [{ text: "Backup here." }] });
    const models = { primary, backup } as Record<string, ScriptedModel>;
    const { events, result } = await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "hi", models: (ref) => models[ref]! }),
    );
    const fallback = eventsOfType(events, "fallback")[0]!;
    expect(fallback.from.modelId).toBe("p");
    expect(fallback.to.modelId).toBe("b");
    expect(fallback.error).toMatchObject({ code: "provider-error", retryable: true });
    expect(result.text).toBe("Backup here.");
    primary.assertDone();
    backup.assertDone();
  });

  it("ends the turn with an error event when every model fails, keeping the caller's message", async () => {
    const front = agent();
    const model = new ScriptedModel({
      steps: [{ error: new ProviderError("openai", "bad key", { upstreamStatus: 401 }) }],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "hi", models: () => model }),
    );
    expect(result.reason).toBe("error");
    expect(eventsOfType(events, "error")[0]!.error).toMatchObject({
      code: "provider-error",
      retryable: false,
    });
    expect(result.state.messages.at(-1)).toMatchObject({ role: "user", content: "hi" });
  });

  it("cancels mid-stream: stops the model, keeps the spoken part marked interrupted", async () => {
    const front = agent();
    const model = new ScriptedModel({
      steps: [{ text: ["First part. ", "Second part.", " Third."], chunkDelayMs: 5 }],
    });
    const controller = new AbortController();
    const turn = runTurn({
      agents: { front },
      state: createSession(front),
      input: "tell me",
      models: () => model,
      signal: controller.signal,
    });
    const seen: string[] = [];
    for await (const event of turn) {
      seen.push(event.type);
      if (event.type === "text-delta") controller.abort();
    }
    const result = await turn.result;
    expect(result.reason).toBe("aborted");
    expect(seen.filter((t) => t === "text-delta")).toHaveLength(1);
    expect(result.state.messages.at(-1)).toMatchObject({
      role: "assistant",
      content: "First part. ",
      interrupted: true,
    });
  });

  it("cancels mid-tool: the tool's signal aborts, the call gets a cancelled result and no further model call happens", async () => {
    let toolSignal: AbortSignal | undefined;
    const slowLookup = defineTool<{ id: string }>({
      name: "lookup_order",
      description: "Look up an order.",
      parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
      execute: (_args, ctx) => {
        toolSignal = ctx.signal;
        return new Promise(() => {}); // never settles; cancellation must not wait for it
      },
    });
    const front = agent({ tools: [slowLookup] });
    const model = new ScriptedModel({
      steps: [{ text: "Let me check.", toolCalls: [{ name: "lookup_order", args: { id: "A1" } }] }],
    });
    const controller = new AbortController();
    const turn = runTurn({
      agents: { front },
      state: createSession(front),
      input: "order A1?",
      models: () => model,
      signal: controller.signal,
    });
    for await (const event of turn) if (event.type === "tool-call") queueMicrotask(() => controller.abort());
    const result = await turn.result;
    expect(result.reason).toBe("aborted");
    expect(toolSignal?.aborted).toBe(true);
    const last = result.state.messages.at(-1)!;
    expect(last).toMatchObject({ role: "tool", toolName: "lookup_order", isError: true });
    expect(last.content).toMatch(/Cancelled/);
    model.assertDone();
  });

  it("cancels the turn when the consumer stops reading events", async () => {
    const front = agent();
    const model = new ScriptedModel({ steps: [{ text: ["a", "b", "c"], chunkDelayMs: 5 }] });
    const turn = runTurn({
      agents: { front },
      state: createSession(front),
      input: "go",
      models: () => model,
    });
    for await (const event of turn) if (event.type === "text-delta") break;
    expect((await turn.result).reason).toBe("aborted");
  });

  it("asks for structured output when the agent has a response schema", async () => {
    const schema = { type: "object", properties: { intent: { type: "string" } }, required: ["intent"] };
    const front = agent({ responseSchema: schema });
    const model = new ScriptedModel({ steps: [{ text: '{"intent":"booking"}' }] });
    await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "book", models: () => model }),
    );
    expect(model.requests[0]!.responseFormat).toEqual({ type: "json", schema });
  });

  it("stops after the per-turn step limit when the model keeps calling tools", async () => {
    const ping = defineTool({
      name: "ping",
      description: "p",
      parameters: { type: "object" },
      execute: () => "pong",
    });
    const front = agent({ tools: [ping], limits: { maxStepsPerTurn: 2 } });
    const model = new ScriptedModel({
      steps: [{ toolCalls: [{ name: "ping" }] }, { toolCalls: [{ name: "ping" }] }],
    });
    const { result } = await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "x", models: () => model }),
    );
    expect(result.reason).toBe("max-steps");
    model.assertDone();
  });

  it("refuses turns on an ended session", async () => {
    const front = agent();
    const state = { ...createSession(front), ended: true };
    const model = new ScriptedModel();
    const { result } = await collectTurn(
      runTurn({ agents: { front }, state, input: "hello?", models: () => model }),
    );
    expect(result.reason).toBe("session-ended");
    expect(model.requests).toHaveLength(0);
  });
});
