import { describe, expect, it } from "vitest";
import { collectTurn, eventsOfType } from "../testing/helpers.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { asksForHuman } from "./human-rules.ts";
import { runTurn } from "./run-turn.ts";
import { createSession, type SessionState } from "./state.ts";
import { defineTool } from "./tool.ts";
import type { AgentDefinition } from "./types.ts";

const failing = defineTool({
  name: "lookup",
  description: "l",
  parameters: { type: "object" },
  execute: () => {
    throw new Error("backend unavailable");
  },
});

const desk: AgentDefinition = {
  name: "Desk",
  slug: "desk",
  instructions: "Help.",
  model: { model: "m" },
  tools: [failing],
  humanHandoff: { keywords: ["lawyer", "complaint"], askThreshold: 2, maxConsecutiveToolFailures: 2 },
};

async function say(model: ScriptedModel, state: SessionState, input: string) {
  model.push({ text: "I understand." });
  return collectTurn(runTurn({ agents: { desk }, state, input, models: () => model }));
}

describe("human handoff rules", () => {
  it("a keyword raises needs-human at once", async () => {
    const model = new ScriptedModel();
    const { events, result } = await say(model, createSession(desk), "I will file a Complaint");
    expect(eventsOfType(events, "needs-human")).toEqual([expect.objectContaining({ reason: "keyword" })]);
    expect(result.state.needsHuman).toBe(true);
  });

  it("asking for a person N times raises needs-human on the Nth time", async () => {
    const model = new ScriptedModel();
    const first = await say(model, createSession(desk), "Can I speak to a real person?");
    expect(eventsOfType(first.events, "needs-human")).toHaveLength(0);
    const second = await say(model, first.result.state, "Let me talk to a human please");
    expect(eventsOfType(second.events, "needs-human")).toEqual([
      expect.objectContaining({ reason: "repeated-request" }),
    ]);
  });

  it("repeated tool failures raise needs-human", async () => {
    const model = new ScriptedModel({
      steps: [{ toolCalls: [{ name: "lookup" }] }, { toolCalls: [{ name: "lookup" }] }, { text: "Sorry." }],
    });
    const { events } = await collectTurn(
      runTurn({ agents: { desk }, state: createSession(desk), input: "x", models: () => model }),
    );
    expect(eventsOfType(events, "needs-human")).toEqual([
      expect.objectContaining({ reason: "tool-failures" }),
    ]);
    expect(eventsOfType(events, "tool-result")[0]!.result).toBe("Error: backend unavailable");
  });

  it("recognises requests for a person without firing on unrelated words", () => {
    expect(asksForHuman("can I talk to an agent")).toBe(true);
    expect(asksForHuman("operator, please")).toBe(true);
    expect(asksForHuman("my human resources team")).toBe(false);
  });
});
