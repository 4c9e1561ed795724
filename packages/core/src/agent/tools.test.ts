import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collectTurn, eventsOfType, manualClock } from "../testing/helpers.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { runTurn } from "./run-turn.ts";
import { createSession } from "./state.ts";
import { defineTool } from "./tool.ts";
import type { AgentDefinition } from "./types.ts";

function agentWith(tools: AgentDefinition["tools"], extra: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    name: "Booker",
    slug: "booker",
    instructions: "Book visits.",
    model: { model: "m" },
    tools,
    ...extra,
  };
}

describe("custom tools", () => {
  it("validates arguments: invalid ones go back to the model as an error and the tool is not called", async () => {
    const calls: unknown[] = [];
    const book = defineTool({
      name: "book_visit",
      description: "Book a visit.",
      parameters: z.object({ day: z.enum(["mon", "tue"]), hour: z.number().int().min(8).max(17) }),
      execute: (args) => {
        calls.push(args);
        return { booked: true, ...args };
      },
    });
    const booker = agentWith([book]);
    const model = new ScriptedModel({
      steps: [
        { toolCalls: [{ name: "book_visit", args: { day: "sun", hour: 9 } }] },
        {
          toolCalls: [{ name: "book_visit", args: { day: "mon", hour: 9 } }],
          expectRequest: (req) => {
            const last = req.messages.at(-1)!;
            expect(last).toMatchObject({ role: "tool", toolName: "book_visit", isError: true });
            expect(last.content).toMatch(/invalid arguments: day/);
          },
        },
        { text: "Booked for Monday at nine." },
      ],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { booker }, state: createSession(booker), input: "Book me", models: () => model }),
    );
    expect(calls).toEqual([{ day: "mon", hour: 9 }]);
    const results = eventsOfType(events, "tool-result");
    expect(results.map((r) => r.isError)).toEqual([true, false]);
    expect(JSON.parse(results[1]!.result)).toEqual({ booked: true, day: "mon", hour: 9 });
    expect(model.requests[0]!.tools!.find((t) => t.name === "book_visit")!.parameters).toMatchObject({
      type: "object",
      required: ["day", "hour"],
    });
    expect(result.text).toBe("Booked for Monday at nine.");
    model.assertDone();
  });

  it("reports malformed JSON and unknown tools to the model instead of failing the turn", async () => {
    const noop = defineTool({
      name: "noop",
      description: "n",
      parameters: { type: "object" },
      execute: () => "ok",
    });
    const booker = agentWith([noop]);
    const model = new ScriptedModel({
      steps: [
        {
          toolCalls: [
            { name: "noop", args: "{not json" },
            { name: "teleport", args: {} },
          ],
        },
        { text: "Sorry." },
      ],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { booker }, state: createSession(booker), input: "x", models: () => model }),
    );
    const results = eventsOfType(events, "tool-result");
    expect(results[0]!.result).toMatch(/not valid JSON/);
    expect(results[1]!.result).toMatch(/no tool named "teleport"/);
    expect(result.reason).toBe("completed");
  });

  it("runs parallel tool calls concurrently", async () => {
    // Each tool waits until both have started: run one after the other, they would time out.
    let started = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const make = (name: string) =>
      defineTool({
        name,
        description: name,
        parameters: { type: "object" },
        timeoutMs: 2_000,
        execute: async () => {
          if (++started === 2) release();
          await bothStarted;
          return `${name} done`;
        },
      });
    const booker = agentWith([make("check_calendar"), make("check_insurance")]);
    const model = new ScriptedModel({
      steps: [{ toolCalls: [{ name: "check_calendar" }, { name: "check_insurance" }] }, { text: "All set." }],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { booker }, state: createSession(booker), input: "x", models: () => model }),
    );
    expect(eventsOfType(events, "tool-result").every((r) => !r.isError)).toBe(true);
    // Results go back in call order whatever the finishing order.
    expect(
      model.requests[1]!.messages.slice(-2).map((m) => (m.role === "tool" ? m.toolName : m.role)),
    ).toEqual(["check_calendar", "check_insurance"]);
    expect(result.text).toBe("All set.");
  });

  it("enforces the per-session tool-call budget", async () => {
    let runs = 0;
    const lookup = defineTool({
      name: "lookup",
      description: "l",
      parameters: { type: "object" },
      execute: () => ++runs,
    });
    const booker = agentWith([lookup], { limits: { maxToolCallsPerSession: 2 } });
    const model = new ScriptedModel({
      steps: [{ toolCalls: [{ name: "lookup" }, { name: "lookup" }, { name: "lookup" }] }, { text: "done" }],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { booker }, state: createSession(booker), input: "x", models: () => model }),
    );
    expect(runs).toBe(2);
    expect(eventsOfType(events, "tool-result").filter((r) => /budget/.test(r.result))).toHaveLength(1);
    expect(result.state.toolCallsUsed).toBe(2);
  });

  it("enforces a per-tool rate limit over a sliding window across turns", async () => {
    const clock = manualClock();
    let runs = 0;
    const sms = defineTool({
      name: "send_sms",
      description: "s",
      parameters: { type: "object" },
      execute: () => ++runs,
    });
    const booker = agentWith([sms], {
      limits: { toolRateLimits: { send_sms: { maxCalls: 1, windowMs: 60_000 } } },
    });
    const model = new ScriptedModel();
    const turn = async (state: ReturnType<typeof createSession>) => {
      model.push({ toolCalls: [{ name: "send_sms" }] }, { text: "ok" });
      return collectTurn(
        runTurn({ agents: { booker }, state, input: "text me", models: () => model, now: clock.now }),
      );
    };
    const first = await turn(createSession(booker));
    clock.advance(10_000);
    const second = await turn(first.result.state);
    expect(eventsOfType(second.events, "tool-result")[0]!.result).toMatch(/at most 1 times per 60 s/);
    clock.advance(60_000);
    await turn(second.result.state);
    expect(runs).toBe(2);
    model.assertDone();
  });

  it("times out a slow tool and tells the model", async () => {
    const slow = defineTool({
      name: "slow",
      description: "s",
      parameters: { type: "object" },
      timeoutMs: 10,
      execute: (_a, ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
    });
    const booker = agentWith([slow]);
    const model = new ScriptedModel({
      steps: [{ toolCalls: [{ name: "slow" }] }, { text: "It is slow today." }],
    });
    const { events } = await collectTurn(
      runTurn({ agents: { booker }, state: createSession(booker), input: "x", models: () => model }),
    );
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({
      isError: true,
      result: expect.stringMatching(/within 10 ms/),
    });
  });

  it("rejects unusable definitions up front", () => {
    expect(() =>
      defineTool({ name: "has space", description: "", parameters: {}, execute: () => 1 }),
    ).toThrow(/must match/);
  });
});
