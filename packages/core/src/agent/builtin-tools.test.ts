import { describe, expect, it } from "vitest";
import { collectTurn, eventsOfType } from "../testing/helpers.ts";
import { InMemoryRetriever } from "../testing/in-memory-retriever.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { runTurn } from "./run-turn.ts";
import { createSession } from "./state.ts";
import type { AgentDefinition } from "./types.ts";

const front: AgentDefinition = {
  name: "Front desk",
  slug: "front",
  instructions: "Help callers.",
  model: { model: "m" },
  knowledge: { knowledgeBaseIds: ["kb-1"], topK: 2 },
};

function clinicKnowledge() {
  return new InMemoryRetriever([
    {
      knowledgeBaseId: "kb-1",
      id: "c1",
      documentId: "d-hours",
      title: "Opening hours",
      text: "Opening hours: we open at 9am on weekdays.",
    },
    {
      knowledgeBaseId: "kb-1",
      id: "c2",
      documentId: "d-parking",
      url: "https://clinic.example/parking",
      text: "Parking hours: parking is free.",
    },
    {
      knowledgeBaseId: "kb-other",
      id: "c3",
      documentId: "d-other",
      text: "Opening hours of another business.",
    },
  ]);
}

describe("built-in tools", () => {
  it("search_knowledge retrieves from the agent's knowledge bases and attaches citations to the reply", async () => {
    const retriever = clinicKnowledge();
    const model = new ScriptedModel({
      steps: [
        { toolCalls: [{ name: "search_knowledge", args: { query: "opening hours" } }] },
        {
          text: "We open at 9am.",
          expectRequest: (req) =>
            expect(req.messages.at(-1)!.content).toContain("we open at 9am on weekdays."),
        },
      ],
    });
    const { events, result } = await collectTurn(
      runTurn({
        agents: { front },
        state: createSession(front),
        input: "hours?",
        models: () => model,
        retriever,
      }),
    );
    expect(retriever.queries).toEqual([
      { query: "opening hours", options: expect.objectContaining({ knowledgeBaseIds: ["kb-1"], topK: 2 }) },
    ]);
    expect(eventsOfType(events, "citation").map((c) => c.citation.id)).toEqual(["c1", "c2"]);
    expect(result.citations.map((c) => c.documentId)).toEqual(["d-hours", "d-parking"]);
    model.assertDone();
  });

  it("search_knowledge is not offered without a retriever or knowledge bases", async () => {
    const model = new ScriptedModel({ steps: [{ text: "hi" }] });
    await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "x", models: () => model }),
    );
    expect(model.requests[0]!.tools!.map((t) => t.name)).not.toContain("search_knowledge");
  });

  it("request_human raises needs-human and the agent keeps talking", async () => {
    const model = new ScriptedModel({
      steps: [
        { toolCalls: [{ name: "request_human", args: { reason: "billing dispute" } }] },
        { text: "A colleague will join shortly." },
      ],
    });
    const { events, result } = await collectTurn(
      runTurn({
        agents: { front },
        state: createSession(front),
        input: "I dispute this bill",
        models: () => model,
      }),
    );
    expect(eventsOfType(events, "needs-human")).toEqual([
      expect.objectContaining({ reason: "tool", detail: "billing dispute", agent: "front" }),
    ]);
    expect(result.state.needsHuman).toBe(true);
    expect(result.text).toBe("A colleague will join shortly.");
  });

  it("end_session ends the session after the goodbye", async () => {
    const model = new ScriptedModel({
      steps: [{ text: "Goodbye!", toolCalls: [{ name: "end_session", args: { reason: "caller done" } }] }],
    });
    const { events, result } = await collectTurn(
      runTurn({ agents: { front }, state: createSession(front), input: "that's all", models: () => model }),
    );
    expect(eventsOfType(events, "session-end")[0]).toMatchObject({ reason: "caller done" });
    expect(result.reason).toBe("ended");
    expect(result.state.ended).toBe(true);
    model.assertDone();
  });
});
