import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

/**
 * The OpenAI-compatible endpoint driven by the official `openai` client against the real
 * server listening on a port, with scripted models behind the agents.
 */

let t: TestApp;
let server: ServerType;
let baseURL: string;
let a: SignedUp;
let client: OpenAI;
let apiKey: string;
const models = new ScriptedModels();

async function api(method: string, path: string, body?: unknown, token = a.accessToken) {
  const res = await fetch(`${baseURL.replace(/\/v1$/, "")}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  t = await createTestApp({}, { models });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  a = await signUp(t);
  apiKey = (await createApiKey(t, a.accessToken, ["sessions:write"])).key;
  client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

async function createAgent(name: string, model: string, extra: Record<string, unknown> = {}) {
  return api("POST", "/api/v1/agents", {
    name,
    instructions: `You are ${name}.`,
    model: { providerId: "local", model },
    ...extra,
  });
}

describe("OpenAI-compatible API with the official client", () => {
  it("lists the organization's published agents as models", async () => {
    const desk = await createAgent("Front Desk", "desk-model");
    await api("POST", "/api/v1/agents?publish=false", {
      name: "Draft Agent",
      instructions: "Not live yet.",
      model: { providerId: "local", model: "draft" },
    });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("front-desk");
    expect(ids).not.toContain("draft-agent");
    const one = await client.models.retrieve(desk.id);
    expect(one).toMatchObject({ id: "front-desk", object: "model" });
  });

  it("answers without streaming, replaying the client's history as context", async () => {
    await createAgent("Replay", "replay-model", { greeting: "Hello from Replay!" });
    models.model("replay-model").push({
      expectRequest: (req) => {
        expect(req.messages.map((m) => [m.role, m.content])).toEqual([
          ["user", "My name is Ada."],
          ["assistant", "Nice to meet you, Ada."],
          ["user", "What is my name?"],
        ]);
        // The client's system prompt does not replace the agent's instructions.
        expect(req.system).toContain("You are Replay.");
        expect(req.system).not.toContain("pirate");
      },
      text: ["Your name ", "is Ada."],
      usage: { inputTokens: 42, outputTokens: 5 },
    });
    const { data: completion, response } = await client.chat.completions
      .create({
        model: "replay",
        messages: [
          { role: "system", content: "Talk like a pirate." },
          { role: "user", content: "My name is Ada." },
          { role: "assistant", content: "Nice to meet you, Ada." },
          { role: "user", content: [{ type: "text", text: "What is my name?" }] },
        ],
        temperature: 0.2,
      })
      .withResponse();
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0]!.message).toMatchObject({ role: "assistant", content: "Your name is Ada." });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({ prompt_tokens: 42, completion_tokens: 5, total_tokens: 47 });

    // The request became an `api` session whose transcript holds the replayed turns and the answer.
    const sessionId = response.headers.get("x-oratio-session-id")!;
    const session = await api("GET", `/api/v1/sessions/${sessionId}`);
    expect(session.channel).toBe("api");
    const messages = session.transcript
      .filter((e: { kind: string }) => e.kind === "message")
      .map((e: { role: string; text: string }) => `${e.role}: ${e.text}`);
    expect(messages.slice(-4)).toEqual([
      "user: My name is Ada.",
      "assistant: Nice to meet you, Ada.",
      "user: What is my name?",
      "assistant: Your name is Ada.",
    ]);
    models.assertDone();
  });

  it("streams chunks with a finish reason and a usage chunk, ending at [DONE]", async () => {
    await createAgent("Streamer", "stream-model");
    models.model("stream-model").push({
      text: ["We open ", "at 8 am ", "on weekdays."],
      usage: { inputTokens: 30, outputTokens: 9 },
    });
    const stream = await client.chat.completions.create({
      model: "streamer",
      messages: [{ role: "user", content: "When do you open?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const part of stream) chunks.push(part);
    // The client stops at [DONE]; every chunk shares one id.
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("We open at 8 am on weekdays.");
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks.length).toBe(3);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish.map((c) => c.choices[0]!.finish_reason)).toEqual(["stop"]);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 });

    // On the wire: server-sent `data:` lines, ending with the literal [DONE] sentinel.
    models.model("stream-model").push({ text: "Yes." });
    const raw = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "streamer",
        stream: true,
        messages: [{ role: "user", content: "Open?" }],
      }),
    });
    expect(raw.headers.get("content-type")).toContain("text/event-stream");
    const wire = await raw.text();
    expect(wire.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(wire.match(/^data: \[DONE\]$/gm)).toHaveLength(1);
    models.assertDone();
  });

  it("lets the agent search its knowledge internally and answers with what it found", async () => {
    const kb = await api("POST", "/api/v1/knowledge-bases", { name: "Clinic" });
    const form = new FormData();
    form.append(
      "files",
      new File(["# Insurance\n\nWe accept Delta Dental PPO and Cigna."], "insurance.md", {
        type: "text/markdown",
      }),
    );
    const uploadRes = await fetch(
      `${baseURL.replace(/\/v1$/, "")}/api/v1/knowledge-bases/${kb.id}/documents`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${a.accessToken}` },
        body: form,
      },
    );
    const upload = (await uploadRes.json()) as { jobId: string };
    await (
      await t.request("GET", `/api/v1/jobs/${upload.jobId}/events`, {
        token: a.accessToken,
        headers: { accept: "text/event-stream" },
      })
    ).text();
    await createAgent("Insurance Desk", "kb-model", { knowledgeBaseIds: [kb.id] });
    let toolResult = "";
    models.model("kb-model").push(
      { toolCalls: [{ name: "search_knowledge", args: { query: "Delta Dental" } }] },
      {
        expectRequest: (req) => {
          const tool = req.messages.find((m) => m.role === "tool");
          toolResult = tool?.content ?? "";
        },
        text: "Yes, we accept Delta Dental PPO.",
      },
    );
    const completion = await client.chat.completions.create({
      model: "insurance-desk",
      messages: [{ role: "user", content: "Do you take Delta Dental?" }],
    });
    expect(toolResult).toContain("Delta Dental PPO");
    // The client sees only the answer: tool calls stay inside the agent.
    expect(completion.choices[0]!.message.content).toBe("Yes, we accept Delta Dental PPO.");
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    models.assertDone();
  });

  it("continues one session per `user` and by X-Oratio-Session-Id", async () => {
    await createAgent("Memory", "memory-model");
    const m = models.model("memory-model");
    m.push({ text: "First answer." });
    const first = await client.chat.completions
      .create({ model: "memory", user: "caller-7", messages: [{ role: "user", content: "One" }] })
      .withResponse();
    const sessionId = first.response.headers.get("x-oratio-session-id");

    m.push({
      // The session's own history is used; the client's resent history is not replayed again.
      expectRequest: (req) =>
        expect(req.messages.map((x) => x.content)).toEqual(["One", "First answer.", "Two"]),
      text: "Second answer.",
    });
    const second = await client.chat.completions
      .create({
        model: "memory",
        user: "caller-7",
        messages: [
          { role: "user", content: "One" },
          { role: "assistant", content: "First answer." },
          { role: "user", content: "Two" },
        ],
      })
      .withResponse();
    expect(second.response.headers.get("x-oratio-session-id")).toBe(sessionId);

    m.push({
      expectRequest: (req) => expect(req.messages.at(-1)?.content).toBe("Three"),
      text: "Third answer.",
    });
    const third = await client.chat.completions
      .create(
        { model: "memory", messages: [{ role: "user", content: "Three" }] },
        { headers: { "X-Oratio-Session-Id": sessionId! } },
      )
      .withResponse();
    expect(third.response.headers.get("x-oratio-session-id")).toBe(sessionId);
    const session = await api("GET", `/api/v1/sessions/${sessionId}`);
    expect(session.turnCount).toBe(3);

    // Another user gets a session of their own.
    m.push({ text: "Hello stranger." });
    const other = await client.chat.completions
      .create({ model: "memory", user: "caller-8", messages: [{ role: "user", content: "Hi" }] })
      .withResponse();
    expect(other.response.headers.get("x-oratio-session-id")).not.toBe(sessionId);
    models.assertDone();
  });

  it("reports errors in OpenAI's shape with the matching client errors", async () => {
    const unknown = await client.chat.completions
      .create({ model: "no-such-agent", messages: [{ role: "user", content: "Hi" }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
    expect((unknown as Error).message).toContain("no-such-agent");

    const badKey = new OpenAI({ baseURL, apiKey: "ora_not-a-real-key", maxRetries: 0 });
    const unauthorized = await badKey.models.list().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((unauthorized as InstanceType<typeof OpenAI.APIError>).status).toBe(401);

    const invalid = await client.chat.completions
      .create({ model: "memory", messages: [{ role: "assistant", content: "I speak first" }] })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect((invalid as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("messages.0.role");

    const missing = await client.chat.completions
      // @ts-expect-error a request without messages, as a careless client might send
      .create({ model: "memory" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect((missing as Error).message).toContain("messages");

    // The raw error body is OpenAI's, not a problem document.
    const res = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "memory", messages: [], n: 1 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: "messages" });
  });

  it("keeps organizations apart and requires the sessions scope", async () => {
    const b = await signUp(t);
    const foreign = new OpenAI({
      baseURL,
      apiKey: (await createApiKey(t, b.accessToken)).key,
      maxRetries: 0,
    });
    const ids: string[] = [];
    for await (const model of foreign.models.list()) ids.push(model.id);
    expect(ids).toEqual([]);
    expect(await foreign.models.retrieve("front-desk").catch((e: unknown) => e)).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const other = await foreign.chat.completions
      .create({ model: "memory", messages: [{ role: "user", content: "Hi" }] })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(OpenAI.NotFoundError);

    const readOnly = new OpenAI({
      baseURL,
      apiKey: (await createApiKey(t, a.accessToken, ["agents:read"])).key,
      maxRetries: 0,
    });
    const refused = await readOnly.chat.completions
      .create({ model: "memory", messages: [{ role: "user", content: "Hi" }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });
});
