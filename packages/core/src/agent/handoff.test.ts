import { describe, expect, it } from "vitest";
import { collectTurn, eventsOfType, manualClock } from "../testing/helpers.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { runTurn } from "./run-turn.ts";
import { createSession, type SessionState } from "./state.ts";
import type { AgentDefinition, HandoffContextPolicy } from "./types.ts";

function directory(policy: HandoffContextPolicy, billingOnEnter?: string) {
  const front: AgentDefinition = {
    name: "Front desk",
    slug: "front",
    instructions: "Route callers.",
    greeting: "Hi, front desk.",
    model: { model: "front-model" },
    handoffs: [{ to: "billing", description: "Billing questions", context: policy }],
    voice: { voice: "alba" },
  };
  const billing: AgentDefinition = {
    name: "Billing",
    slug: "billing",
    instructions: "Handle invoices.",
    onEnter: billingOnEnter,
    model: { model: "billing-model", temperature: 0.1 },
    handoffs: [{ to: "front", context: "full" }],
    voice: { voice: "jenny" },
  };
  return { front, billing };
}

function models() {
  const front = new ScriptedModel({ modelId: "front-model" });
  const billing = new ScriptedModel({ modelId: "billing-model" });
  return { front, billing, resolve: (ref: string) => (ref === "front-model" ? front : billing) };
}

/** A session where the caller already said something to the front desk. */
async function sessionWithHistory(
  agents: ReturnType<typeof directory>,
  m: ReturnType<typeof models>,
  now: () => number,
) {
  m.front.push({ text: "Sure, what is your name?" });
  const { result } = await collectTurn(
    runTurn({
      agents,
      state: createSession(agents.front, { now }),
      input: "I have a question",
      models: m.resolve,
      now,
    }),
  );
  return result.state;
}

function transferTurn(
  agents: ReturnType<typeof directory>,
  m: ReturnType<typeof models>,
  state: SessionState,
  now: () => number,
) {
  m.front.push({
    text: "Let me transfer you.",
    toolCalls: [{ name: "transfer_to_billing", args: { reason: "invoice" } }],
  });
  return collectTurn(runTurn({ agents, state, input: "It is about my invoice", models: m.resolve, now }));
}

describe("handoffs", () => {
  it("offers one transfer tool per target and switches agent, model and voice", async () => {
    const clock = manualClock();
    const agents = directory("full");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    m.billing.push({ text: "Billing here, I see your invoice." });
    const { events, result } = await transferTurn(agents, m, state, clock.now);

    expect(m.front.requests[1]!.tools!.find((t) => t.name === "transfer_to_billing")!.description).toBe(
      "Billing questions",
    );
    const handoff = eventsOfType(events, "handoff")[0]!;
    expect(handoff).toMatchObject({
      from: "front",
      to: "billing",
      policy: "full",
      reason: "invoice",
      at: clock.now(),
    });
    expect(handoff.voice).toEqual({ voice: "jenny" });
    expect(handoff.model.model).toBe("billing-model");
    expect(result.state.activeAgent).toBe("billing");
    expect(result.state.handoffs).toEqual([
      { from: "front", to: "billing", at: clock.now(), policy: "full", reason: "invoice" },
    ]);
    // Without an on-enter line the receiving agent answers in the same turn.
    expect(result.text).toBe("Let me transfer you.Billing here, I see your invoice.");
    expect(eventsOfType(events, "text-delta").at(-1)!.agent).toBe("billing");
    expect(m.billing.requests[0]!.temperature).toBe(0.1);
    m.front.assertDone();
    m.billing.assertDone();
  });

  it("full policy: the receiving agent sees the whole conversation but not the other agent's tool traffic", async () => {
    const clock = manualClock();
    const agents = directory("full");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    m.billing.push({ text: "ok" });
    await transferTurn(agents, m, state, clock.now);
    const seen = m.billing.requests[0]!;
    expect(seen.system).toBe("Handle invoices.");
    expect(seen.messages).toEqual([
      { role: "assistant", content: "Hi, front desk." },
      { role: "user", content: "I have a question" },
      { role: "assistant", content: "Sure, what is your name?" },
      { role: "user", content: "It is about my invoice" },
      { role: "assistant", content: "Let me transfer you." },
    ]);
  });

  it("none policy: the receiving agent starts from the caller's latest message", async () => {
    const clock = manualClock();
    const agents = directory("none");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    m.billing.push({ text: "ok" });
    await transferTurn(agents, m, state, clock.now);
    const seen = m.billing.requests[0]!;
    expect(seen.messages[0]).toEqual({ role: "user", content: "It is about my invoice" });
    expect(seen.messages.some((msg) => msg.content === "I have a question")).toBe(false);
    expect(seen.system).toBe("Handle invoices.");
  });

  it("summary policy: earlier conversation arrives as a summary in the system prompt", async () => {
    const clock = manualClock();
    const agents = directory("summary");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    m.billing.push({ text: "ok" });
    await transferTurn(agents, m, state, clock.now);
    const seen = m.billing.requests[0]!;
    expect(seen.system).toContain("Handle invoices.");
    expect(seen.system).toContain("Caller: I have a question");
    expect(seen.messages[0]).toEqual({ role: "user", content: "It is about my invoice" });
  });

  it("the receiving agent speaks its on-enter line and waits for the caller", async () => {
    const clock = manualClock();
    const agents = directory("full", "Billing desk, how can I help?");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    const { events, result } = await transferTurn(agents, m, state, clock.now);
    expect(result.reason).toBe("handoff");
    expect(eventsOfType(events, "text-delta").at(-1)).toEqual({
      type: "text-delta",
      agent: "billing",
      text: "Billing desk, how can I help?",
    });
    expect(result.state.messages.at(-1)).toMatchObject({ role: "assistant", agent: "billing" });
    expect(m.billing.requests).toHaveLength(0);
  });

  it("refuses A→B→A inside the loop window; the current agent continues; allowed after the window", async () => {
    const clock = manualClock();
    const agents = directory("full", "Billing here.");
    const m = models();
    const state = await sessionWithHistory(agents, m, clock.now);
    const afterFirst = (await transferTurn(agents, m, state, clock.now)).result.state;
    clock.advance(30_000);

    m.billing.push(
      { toolCalls: [{ name: "transfer_to_front", args: {} }] },
      {
        text: "I can help you with that myself.",
        expectRequest: (req) => expect(req.messages.at(-1)).toMatchObject({ role: "tool", isError: true }),
      },
    );
    const refused = await collectTurn(
      runTurn({
        agents,
        state: afterFirst,
        input: "go back",
        models: m.resolve,
        now: clock.now,
        handoffLoopWindowMs: 60_000,
      }),
    );
    expect(eventsOfType(refused.events, "handoff-refused")[0]).toMatchObject({
      from: "billing",
      to: "front",
    });
    expect(eventsOfType(refused.events, "handoff")).toHaveLength(0);
    expect(refused.result.state.activeAgent).toBe("billing");
    expect(refused.result.text).toBe("I can help you with that myself.");

    clock.advance(60_000);
    m.billing.push({ toolCalls: [{ name: "transfer_to_front", args: {} }] });
    m.front.push({ text: "Front desk again." });
    const allowed = await collectTurn(
      runTurn({
        agents,
        state: refused.result.state,
        input: "go back",
        models: m.resolve,
        now: clock.now,
        handoffLoopWindowMs: 60_000,
      }),
    );
    expect(allowed.result.state.activeAgent).toBe("front");
    expect(allowed.result.state.handoffs.map((h) => `${h.from}>${h.to}`)).toEqual([
      "front>billing",
      "billing>front",
    ]);
    m.front.assertDone();
    m.billing.assertDone();
  });
});
