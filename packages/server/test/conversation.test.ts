import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { expectProblem, type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

let t: TestApp;
let a: SignedUp;
const models = new ScriptedModels();

beforeAll(async () => {
  t = await createTestApp({}, { models });
  a = await signUp(t);
});
afterAll(() => t.close());

async function json(method: string, path: string, body?: unknown, token = a.accessToken) {
  const res = await t.request(method, path, { token, json: body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

function parseSse(text: string) {
  return text
    .trim()
    .split("\n\n")
    .filter((block) => block.includes("data:"))
    .map((block) => {
      const event = block.match(/^event: (.*)$/m)?.[1];
      const data = JSON.parse(block.match(/^data: (.*)$/m)![1]!);
      return { event, data };
    });
}

async function knowledgeBase() {
  const kb = await json("POST", "/api/v1/knowledge-bases", { name: "Clinic" });
  const form = new FormData();
  form.append(
    "files",
    new File(
      [
        "# Billing\n\nWe accept Delta Dental PPO and Cigna. Payment plans are available for treatment over $500.",
      ],
      "billing.md",
    ),
  );
  const upload = await (
    await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, {
      token: a.accessToken,
      body: form,
    })
  ).json();
  await (
    await t.request("GET", `/api/v1/jobs/${upload.jobId}/events`, {
      token: a.accessToken,
      headers: { accept: "text/event-stream" },
    })
  ).text();
  return { kb, documentId: upload.documents[0].id as string };
}

describe("a conversation through the API", () => {
  it("answers from knowledge with citations, hands off to billing, asks for a human, is taken over and handed back", async () => {
    const { kb, documentId } = await knowledgeBase();
    const billing = await json("POST", "/api/v1/agents", {
      name: "Billing",
      instructions: "Answer billing questions.",
      onEnter: "Billing here, how can I help with your bill?",
      model: { providerId: "local", model: "billing-model" },
      knowledgeBaseIds: [kb.id],
    });
    const desk = await json("POST", "/api/v1/agents", {
      name: "Receptionist",
      instructions: "Greet callers, answer from the knowledge base, hand billing questions to billing.",
      greeting: "Hi, Harborview Dental!",
      model: { providerId: "local", model: "desk-model" },
      knowledgeBaseIds: [kb.id],
      handoffs: [{ agentId: billing.id, context: "summary", description: "Bills and payments" }],
    });

    const session = await json("POST", "/api/v1/sessions", {
      agentId: desk.id,
      channel: "chat",
      caller: "+15550100",
    });
    expect(session).toMatchObject({
      agentVersion: 1,
      status: "active",
      activeAgent: "receptionist",
      channel: "chat",
    });

    // Turn 1: the receptionist searches the knowledge base and answers with a citation.
    models.model("desk-model").push(
      {
        toolCalls: [{ name: "search_knowledge", args: { query: "Delta Dental insurance" } }],
        expectRequest: (req) => expect(req.tools?.map((tool) => tool.name)).toContain("transfer_to_billing"),
      },
      { text: ["Yes, we accept ", "Delta Dental PPO."], usage: { inputTokens: 120, outputTokens: 8 } },
    );
    const sse = await t.request("POST", `/api/v1/sessions/${session.id}/messages`, {
      token: a.accessToken,
      json: { text: "Do you take Delta Dental?" },
      headers: { accept: "text/event-stream" },
    });
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await sse.text());
    const types = events.map((e) => e.event);
    expect(types).toEqual(
      expect.arrayContaining(["tool-call", "tool-result", "citation", "text-delta", "turn-end"]),
    );
    expect(types.at(-1)).toBe("turn-end");
    const citation = events.find((e) => e.event === "citation")!.data.citation;
    expect(citation).toMatchObject({ documentId, title: expect.any(String) });
    const end = events.at(-1)!.data;
    expect(end.text).toBe("Yes, we accept Delta Dental PPO.");
    // Usage adds up both model calls of the turn (the tool round and the answer).
    expect(end.usage.inputTokens).toBeGreaterThan(120);
    expect(end.usage.outputTokens).toBeGreaterThanOrEqual(8);

    // Turn 2: handed to billing with a summary of the conversation; billing speaks its on-enter line.
    models
      .model("desk-model")
      .push({ toolCalls: [{ name: "transfer_to_billing", args: { reason: "payment plan" } }] });
    const handoffTurn = await json("POST", `/api/v1/sessions/${session.id}/messages`, {
      text: "Can I pay in installments?",
    });
    expect(handoffTurn.agent).toBe("billing");

    // Turn 3: billing sees the summary, not the full history; the caller asks for a person.
    models.model("billing-model").push(
      {
        expectRequest: (req) => expect(JSON.stringify(req.system)).toContain("Summary"),
        toolCalls: [
          { name: "request_human", args: { reason: "Caller wants to talk to a person about a bill" } },
        ],
      },
      { text: "I'm getting a member of our team for you." },
    );
    const humanTurn = await json("POST", `/api/v1/sessions/${session.id}/messages`, {
      text: "I want to talk to a real person",
    });
    expect(humanTurn.sessionStatus).toBe("needs_human");

    const inbox = await json("GET", "/api/v1/notifications");
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.data[0]).toMatchObject({ kind: "needs_human", sessionId: session.id, read: false });
    await json("POST", `/api/v1/notifications/${inbox.data[0].id}/read`);
    expect((await json("GET", "/api/v1/notifications")).unreadCount).toBe(0);

    // An operator takes over: the agent pauses, the caller's words reach the operator, the operator answers.
    await json("POST", `/api/v1/sessions/${session.id}/takeover`);
    const paused = await json("POST", `/api/v1/sessions/${session.id}/messages`, {
      text: "Hello? Anyone there?",
    });
    expect(paused).toMatchObject({ reason: "human", text: "" });
    await json("POST", `/api/v1/sessions/${session.id}/operator-messages`, {
      text: "Hi, this is Dana from billing.",
    });
    const released = await json("POST", `/api/v1/sessions/${session.id}/release`);
    expect(released.status).toBe("active");

    // Back with the agent, which sees what the operator said.
    models.model("billing-model").push({
      expectRequest: (req) => expect(JSON.stringify(req.messages)).toContain("Dana from billing"),
      text: "Anything else I can help with?",
    });
    await json("POST", `/api/v1/sessions/${session.id}/messages`, { text: "Thanks Dana" });

    const detail = await json("GET", `/api/v1/sessions/${session.id}`);
    const kinds = detail.transcript.map((e: { kind: string; role: string | null }) =>
      e.role ? `${e.kind}:${e.role}` : e.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        "message:assistant",
        "message:user",
        "tool_call",
        "tool_result",
        "citation",
        "handoff",
        "turn",
        "message:operator",
      ]),
    );
    expect(detail.transcript[0]).toMatchObject({
      kind: "message",
      role: "assistant",
      text: "Hi, Harborview Dental!",
    });
    const handoff = detail.transcript.find((e: { kind: string }) => e.kind === "handoff");
    expect(handoff.data).toMatchObject({ from: "receptionist", to: "billing", policy: "summary" });
    expect(detail.tokensIn).toBeGreaterThanOrEqual(120);
    expect(detail.turnCount).toBe(4);
    expect(detail.transcript.map((e: { seq: number }) => e.seq)).toEqual(
      detail.transcript.map((_: unknown, i: number) => i + 1),
    );
    models.assertDone();
  });

  it("cancels a reply in progress when a new message arrives, keeping what was said", async () => {
    const agent = await json("POST", "/api/v1/agents", {
      name: "Slow",
      instructions: "Talk slowly.",
      model: { providerId: "local", model: "slow-model" },
    });
    const session = await json("POST", "/api/v1/sessions", { agentId: agent.id });
    models.model("slow-model").push(
      // The rest of the story would take a minute: the new message always lands mid-reply.
      { text: ["Let me tell you ", "a very ", "long story"], chunkDelayMs: 60_000 },
      { text: "Sure, switching topics." },
    );
    const first = json("POST", `/api/v1/sessions/${session.id}/messages`, { text: "Tell me a story" });
    // The model has the request (its first words follow at once) before the caller cuts in.
    await vi.waitFor(() => expect(models.model("slow-model").requests).toHaveLength(1), {
      timeout: 10_000,
    });
    const second = await json("POST", `/api/v1/sessions/${session.id}/messages`, {
      text: "Actually, never mind",
    });
    const interrupted = await first;
    expect(interrupted.reason).toBe("aborted");
    expect(second.text).toBe("Sure, switching topics.");
    const detail = await json("GET", `/api/v1/sessions/${session.id}`);
    const partial = detail.transcript.find((e: { data: { interrupted?: boolean } }) => e.data?.interrupted);
    expect(partial?.text).toMatch(/^Let me tell you/);
    models.assertDone();
  });

  it("ends sessions on request and at the turn limit, and refuses messages afterwards", async () => {
    const agent = await json("POST", "/api/v1/agents", {
      name: "Limited",
      instructions: "Be brief.",
      model: { providerId: "local", model: "limited-model" },
      limits: { maxTurns: 1, maxSessionMinutes: 30, maxToolCalls: 5 },
    });
    const session = await json("POST", "/api/v1/sessions", { agentId: agent.id });
    models.model("limited-model").push({ text: "One answer." });
    await json("POST", `/api/v1/sessions/${session.id}/messages`, { text: "First" });
    const over = await json("POST", `/api/v1/sessions/${session.id}/messages`, { text: "Second" });
    expect(over).toMatchObject({ reason: "max-turns", sessionStatus: "ended" });
    await expectProblem(
      await t.request("POST", `/api/v1/sessions/${session.id}/messages`, {
        token: a.accessToken,
        json: { text: "Third" },
      }),
      409,
    );
    // Streaming requests are refused the same way, before any stream opens, and store nothing.
    const streamed = (sessionId: string) =>
      t.request("POST", `/api/v1/sessions/${sessionId}/messages`, {
        token: a.accessToken,
        json: { text: "Fourth" },
        headers: { accept: "text/event-stream" },
      });
    await expectProblem(await streamed(session.id), 409);
    await expectProblem(await streamed(crypto.randomUUID()), 404);
    const transcript = await json("GET", `/api/v1/sessions/${session.id}`);
    expect(JSON.stringify(transcript)).not.toContain("Third");
    expect(JSON.stringify(transcript)).not.toContain("Fourth");
    const other = await json("POST", "/api/v1/sessions", { agentId: agent.id });
    expect((await json("POST", `/api/v1/sessions/${other.id}/end`)).status).toBe("ended");
    models.assertDone();
  });

  it("pins the version a session started on", async () => {
    const agent = await json("POST", "/api/v1/agents", {
      name: "Pinned",
      instructions: "Version one instructions.",
      model: { providerId: "local", model: "pinned-model" },
    });
    const session = await json("POST", "/api/v1/sessions", { agentId: agent.id });
    await json("PATCH", `/api/v1/agents/${agent.id}`, { instructions: "Version two instructions." });
    models.model("pinned-model").push({
      expectRequest: (req) => expect(req.system).toContain("Version one instructions."),
      text: "ok",
    });
    await json("POST", `/api/v1/sessions/${session.id}/messages`, { text: "hi" });
    const fresh = await json("POST", "/api/v1/sessions", { agentId: agent.id });
    expect(fresh.agentVersion).toBe(2);
    models.assertDone();
  });

  it("lists and filters sessions, including by transcript text, and hides them from other organizations", async () => {
    const list = await json("GET", "/api/v1/sessions?q=Delta%20Dental");
    expect(list.total).toBe(1);
    expect(
      (await json("GET", "/api/v1/sessions?status=ended")).data.every(
        (s: { status: string }) => s.status === "ended",
      ),
    ).toBe(true);
    const b = await signUp(t);
    expect((await json("GET", "/api/v1/sessions", undefined, b.accessToken)).total).toBe(0);
  });

  it("aggregates the organization's sessions for the overview", async () => {
    const overview = await json("GET", "/api/v1/analytics/overview");
    expect(overview.totals.sessions).toBeGreaterThanOrEqual(4);
    // One of the sessions above asked for a person and was taken over.
    expect(overview.totals.handoffToHumanRate).toBeGreaterThan(0);
    expect(overview.totals.containmentRate).toBeCloseTo(1 - overview.totals.handoffToHumanRate);
    expect(overview.totals.tokensIn).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const day = overview.sessionsPerDay.find((d: { date: string }) => d.date === today);
    expect(day.chat + day.api).toBe(overview.totals.sessions);
    expect(overview.byAgent.map((a: { name: string }) => a.name)).toContain("Receptionist");
    const b = await signUp(t);
    expect((await json("GET", "/api/v1/analytics/overview", undefined, b.accessToken)).totals.sessions).toBe(
      0,
    );
  });
});
