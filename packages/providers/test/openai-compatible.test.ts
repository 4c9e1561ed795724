import type { ModelStreamPart } from "@oratio/core";
import { isAbortError, ProviderError } from "@oratio/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLanguageModel } from "../src/factory.ts";
import { sse, startServer } from "./http-fixture.ts";

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function drain(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const out: ModelStreamPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

function chunk(
  delta: Record<string, unknown>,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "llama3.2",
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  };
}

const request = {
  system: "You book visits.",
  messages: [
    { role: "user" as const, content: "Book Monday" },
    {
      role: "assistant" as const,
      content: "",
      toolCalls: [{ id: "call_0", name: "check", args: '{"day":"mon"}' }],
    },
    { role: "tool" as const, toolCallId: "call_0", toolName: "check", content: "free at 9" },
  ],
  tools: [
    {
      name: "book",
      description: "Book a visit",
      parameters: { type: "object", properties: { day: { type: "string" } }, required: ["day"] },
    },
  ],
  temperature: 0.2,
  maxTokens: 100,
};

describe("openai-compatible provider (chat completions SSE)", () => {
  it("sends the conversation and tools, streams text and assembles streamed tool-call arguments", async () => {
    const server = await startServer((_req, res) =>
      sse(
        res,
        [
          { data: chunk({ role: "assistant", content: "" }) },
          { data: chunk({ content: "Booking " }) },
          { data: chunk({ content: "now." }) },
          {
            data: chunk({
              tool_calls: [
                { index: 0, id: "call_1", type: "function", function: { name: "book", arguments: "" } },
              ],
            }),
          },
          { data: chunk({ tool_calls: [{ index: 0, function: { arguments: '{"day":' } }] }) },
          { data: chunk({ tool_calls: [{ index: 0, function: { arguments: '"mon"}' } }] }) },
          { data: chunk({}, "tool_calls") },
          {
            data: {
              ...chunk({}),
              choices: [],
              usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
            },
          },
        ],
        true,
      ),
    );
    servers.push(server);
    const model = createLanguageModel({
      type: "openai-compatible",
      baseUrl: `${server.url}/v1`,
      apiKey: "sk-test",
      model: "llama3.2",
    });
    const parts = await drain(model.stream(request));

    expect(parts).toEqual([
      { type: "text-delta", text: "Booking " },
      { type: "text-delta", text: "now." },
      { type: "tool-call", id: "call_1", name: "book", args: '{"day":"mon"}' },
      { type: "finish", reason: "tool-calls", usage: { inputTokens: 42, outputTokens: 7 } },
    ]);
    const sent = server.requests[0]!;
    expect(sent.url).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({ model: "llama3.2", stream: true, temperature: 0.2, max_tokens: 100 });
    expect(body.messages).toEqual([
      { role: "system", content: "You book visits." },
      { role: "user", content: "Book Monday" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_0", type: "function", function: { name: "check", arguments: '{"day":"mon"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_0", content: "free at 9" },
    ]);
    expect(body.tools[0]).toMatchObject({
      type: "function",
      function: { name: "book", parameters: { required: ["day"] } },
    });
    expect(model.provider).toBe(new URL(server.url).host);
  });

  it("requests JSON-schema output when asked for structured output", async () => {
    const server = await startServer((_req, res) =>
      sse(res, [{ data: chunk({ content: '{"intent":"book"}' }) }, { data: chunk({}, "stop") }], true),
    );
    servers.push(server);
    const model = createLanguageModel({ type: "openai-compatible", baseUrl: server.url, model: "m" });
    const schema = { type: "object", properties: { intent: { type: "string" } }, required: ["intent"] };
    const parts = await drain(
      model.stream({
        messages: [{ role: "user", content: "hi" }],
        responseFormat: { type: "json", schema, name: "intent" },
      }),
    );
    expect(parts[0]).toEqual({ type: "text-delta", text: '{"intent":"book"}' });
    expect(JSON.parse(server.requests[0]!.body).response_format).toMatchObject({
      type: "json_schema",
      json_schema: { schema },
    });
  });

  it("maps HTTP failures to ProviderError with the upstream status and retryability", async () => {
    const server = await startServer((req, res) => {
      const status = req.body.includes("unauthorized") ? 401 : 503;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: status === 401 ? "bad key" : "overloaded", type: "x" } }));
    });
    servers.push(server);
    const model = createLanguageModel({ type: "openai-compatible", baseUrl: server.url, model: "m" });
    const overloaded = await drain(model.stream({ messages: [{ role: "user", content: "hi" }] })).catch(
      (e: unknown) => e,
    );
    expect(overloaded).toBeInstanceOf(ProviderError);
    expect(overloaded).toMatchObject({ upstreamStatus: 503, retryable: true });
    const unauthorized = await drain(
      model.stream({ messages: [{ role: "user", content: "unauthorized" }] }),
    ).catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ upstreamStatus: 401, retryable: false });
  });

  it("aborts mid-stream and closes the upstream response", async () => {
    let closed: () => void = () => {};
    const upstreamClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify(chunk({ content: "Hello" }))}\n\n`);
      res.on("close", () => closed()); // never ends on its own
    });
    servers.push(server);
    const model = createLanguageModel({ type: "openai-compatible", baseUrl: server.url, model: "m" });
    const controller = new AbortController();
    const seen: ModelStreamPart[] = [];
    const error = await (async () => {
      for await (const part of model.stream(
        { messages: [{ role: "user", content: "hi" }] },
        { signal: controller.signal },
      )) {
        seen.push(part);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "text-delta", text: "Hello" }]);
    expect(isAbortError(error)).toBe(true);
    await upstreamClosed;
  });
});
