import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedModels } from "../../server/test/scripted-models.ts";
import { ApiError, type OrgEvent, parseEventStream, type TurnStreamEvent } from "../src/index.ts";
import { createTestApp, signedUpClient, type TestApp } from "./helpers.ts";

const handbook = readFileSync(path.resolve(import.meta.dirname, "../../../fixtures/business/handbook.pdf"));
const models = new ScriptedModels();
let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp({}, { models });
});
afterAll(() => testApp.close());

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      // Split mid-line to prove events are reassembled across chunks.
      controller.enqueue(bytes.slice(0, 7));
      controller.enqueue(bytes.slice(7));
      controller.close();
    },
  });
}

describe("parseEventStream", () => {
  it("joins data lines, skips comments, passes non-JSON data through and handles CRLF", async () => {
    const events = [];
    const text =
      ': keep-alive\n\nevent: a\ndata: {"x":1}\n\r\nevent: b\r\ndata: line one\r\ndata: line two\r\nid: 7\r\n\r\n';
    for await (const event of parseEventStream(streamOf(text))) events.push(event);
    expect(events).toEqual([
      { event: "a", data: { x: 1 }, id: undefined },
      { event: "b", data: "line one\nline two", id: "7" },
    ]);
  });
});

describe("agents", () => {
  it("creates, saves versions, diffs, publishes and rolls back", async () => {
    const { client } = await signedUpClient(testApp, "agents");
    const agent = await client.agents.create(
      {
        name: "Front Desk",
        instructions: "Greet callers.",
        model: { providerId: "local", model: "desk" },
      },
      { publish: false },
    );
    expect(agent).toMatchObject({
      status: "draft",
      latestVersion: 1,
      publishedVersion: null,
      slug: "front-desk",
    });
    const saved = await client.agents.update(
      agent.id,
      { instructions: "Greet callers warmly." },
      { publish: true },
    );
    expect(saved).toMatchObject({ latestVersion: 2, publishedVersion: 2, status: "published" });
    expect((await client.agents.versions(agent.id)).map((v) => v.version).sort()).toEqual([1, 2]);
    const diff = await client.agents.diff(agent.id, 1, 2);
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ path: "instructions", change: "changed", after: "Greet callers warmly." }),
    );
    expect((await client.agents.publish(agent.id, 1)).publishedVersion).toBe(1);
    expect((await client.agents.version(agent.id, 1)).config.instructions).toBe("Greet callers.");
    const bundle = await client.agents.export([agent.id]);
    expect(bundle.agents.map((a) => a.slug)).toEqual(["front-desk"]);
    await client.agents.delete(agent.id);
    await expect(client.agents.get(agent.id)).rejects.toBeInstanceOf(ApiError);
  });
});

describe("providers", () => {
  it("never returns the API key it stores", async () => {
    const { client } = await signedUpClient(testApp, "providers");
    const created = await client.providers.create({
      name: "OpenAI",
      type: "openai",
      apiKey: "sk-secret-123",
    });
    expect(created.hasApiKey).toBe(true);
    const listed = await client.providers.list();
    expect(JSON.stringify(listed)).not.toContain("sk-secret-123");
    await client.providers.delete(created.id);
    expect(await client.providers.list()).toEqual([]);
  });
});

describe("knowledge, sessions and live events", () => {
  it("uploads a PDF, follows the job, searches, chats with a streamed cited answer and takes over", async () => {
    const { client } = await signedUpClient(testApp, "knowledge");
    const abort = new AbortController();
    const orgEvents: OrgEvent[] = [];
    const listening = (async () => {
      for await (const event of client.events.stream({ signal: abort.signal })) orgEvents.push(event);
    })();

    const kb = await client.knowledgeBases.create({ name: "Handbook" });
    const upload = await client.knowledgeBases.upload(kb.id, [
      { name: "handbook.pdf", data: handbook, type: "application/pdf" },
      { name: "virus.exe", data: new Uint8Array([77, 90]), type: "application/octet-stream" },
    ]);
    expect(upload.documents.map((d) => d.name)).toEqual(["handbook.pdf"]);
    expect(upload.rejected.map((r) => r.name)).toEqual(["virus.exe"]);
    const states = [];
    for await (const job of client.jobs.watch(upload.jobId)) states.push(job.status);
    expect(states.at(-1)).toBe("succeeded");
    const [doc] = await client.knowledgeBases.documents(kb.id);
    expect(doc).toMatchObject({ status: "ready", name: "handbook.pdf" });
    expect(doc?.pages).toBeGreaterThan(1);

    const results = await client.knowledgeBases.search(kb.id, "drink through a straw after extraction", 3);
    expect(results[0]?.citation.documentId).toBe(doc?.id);
    expect(results[0]?.snippet).toMatch(/\*\*straw\*\*/i);
    expect(kb.embedding).toBeNull();
    expect(results[0]?.matchedBy).toEqual(["text"]);

    const agent = await client.agents.create({
      name: "Helper",
      instructions: "Answer from the handbook.",
      model: { providerId: "local", model: "helper-model" },
      knowledgeBaseIds: [kb.id],
    });
    const session = await client.sessions.create({ agentId: agent.id, channel: "chat" });
    models
      .model("helper-model")
      .push(
        { toolCalls: [{ name: "search_knowledge", args: { query: "straw after extraction" } }] },
        { text: ["Please avoid ", "straws for a few days."] },
      );
    const events: TurnStreamEvent[] = [];
    for await (const event of client.sessions.stream(session.id, "Can I use a straw?")) events.push(event);
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["tool-call", "tool-result", "citation", "text-delta"]));
    expect(types.at(-1)).toBe("turn-end");
    const deltas = events.flatMap((e) => (e.type === "text-delta" ? [e.text] : [])).join("");
    expect(deltas).toBe("Please avoid straws for a few days.");
    const citation = events.find((e) => e.type === "citation");
    expect(citation?.type === "citation" && citation.citation.documentId).toBe(doc?.id);

    const page = await client.sessions.list({ agentId: agent.id, q: "straw" });
    expect(page.total).toBe(1);
    const detail = await client.sessions.get(session.id);
    expect(detail.transcript.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["message", "tool_call", "tool_result", "citation", "turn"]),
    );

    expect((await client.sessions.takeover(session.id)).status).toBe("human");
    await client.sessions.operatorMessage(session.id, "Hi, this is Dana from the front desk.");
    expect((await client.sessions.release(session.id)).status).toBe("active");
    const operator = (await client.sessions.get(session.id)).transcript.find((e) => e.role === "operator");
    expect(operator?.text).toBe("Hi, this is Dana from the front desk.");
    expect((await client.sessions.end(session.id)).status).toBe("ended");

    const overview = await client.analytics.overview();
    expect(overview.totals.sessions).toBe(1);
    expect(overview.byAgent.map((a) => a.name)).toEqual(["Helper"]);
    const notifications = await client.notifications.list();
    expect(notifications.unreadCount).toBe(notifications.data.filter((n) => !n.read).length);

    abort.abort();
    await listening;
    expect(orgEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(["session.started", "turn.completed"]),
    );
    models.assertDone();
  });
});
