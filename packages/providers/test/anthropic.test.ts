import type { ModelStreamPart } from "@oratio/core";
import { ProviderError } from "@oratio/core";
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

/** The event sequence of Anthropic's Messages API streaming a text block then a tool_use block. */
const messageEvents = [
  {
    event: "message_start",
    data: {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-3-5-haiku-latest",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 31, output_tokens: 1 },
      },
    },
  },
  {
    event: "content_block_start",
    data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  },
  {
    event: "content_block_delta",
    data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me " } },
  },
  {
    event: "content_block_delta",
    data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "check." } },
  },
  { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
  {
    event: "content_block_start",
    data: {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "toolu_1", name: "lookup_order", input: {} },
    },
  },
  {
    event: "content_block_delta",
    data: {
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"order' },
    },
  },
  {
    event: "content_block_delta",
    data: {
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: '_id":"A1"}' },
    },
  },
  { event: "content_block_stop", data: { type: "content_block_stop", index: 1 } },
  {
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 19 },
    },
  },
  { event: "message_stop", data: { type: "message_stop" } },
];

describe("anthropic provider (messages SSE)", () => {
  it("streams text and tool_use blocks and sends tool results back in Anthropic's shape", async () => {
    const server = await startServer((_req, res) => sse(res, messageEvents));
    servers.push(server);
    const model = createLanguageModel({
      type: "anthropic",
      baseUrl: `${server.url}/v1`,
      apiKey: "ak-test",
      model: "claude-3-5-haiku-latest",
    });
    const parts = await drain(
      model.stream({
        system: "You track orders.",
        messages: [
          { role: "user", content: "Where is A1?" },
          {
            role: "assistant",
            content: "",
            toolCalls: [{ id: "toolu_0", name: "lookup_order", args: '{"order_id":"A0"}' }],
          },
          {
            role: "tool",
            toolCallId: "toolu_0",
            toolName: "lookup_order",
            content: "not found",
            isError: true,
          },
        ],
        tools: [
          {
            name: "lookup_order",
            description: "Find an order",
            parameters: { type: "object", properties: { order_id: { type: "string" } } },
          },
        ],
        maxTokens: 200,
      }),
    );
    expect(parts).toEqual([
      { type: "text-delta", text: "Let me " },
      { type: "text-delta", text: "check." },
      { type: "tool-call", id: "toolu_1", name: "lookup_order", args: '{"order_id":"A1"}' },
      { type: "finish", reason: "tool-calls", usage: { inputTokens: 31, outputTokens: 19 } },
    ]);
    const sent = server.requests[0]!;
    expect(sent.url).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("ak-test");
    const body = JSON.parse(sent.body);
    expect(body).toMatchObject({ model: "claude-3-5-haiku-latest", stream: true, max_tokens: 200 });
    expect(body.system).toEqual([{ type: "text", text: "You track orders." }]);
    expect(body.messages[1].content[0]).toMatchObject({
      type: "tool_use",
      id: "toolu_0",
      name: "lookup_order",
      input: { order_id: "A0" },
    });
    expect(body.messages[2]).toMatchObject({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_0", is_error: true, content: "not found" }],
    });
    expect(body.tools[0]).toMatchObject({ name: "lookup_order", input_schema: { type: "object" } });
  });

  it("maps an overloaded answer to a retryable ProviderError", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(529, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    });
    servers.push(server);
    const model = createLanguageModel({
      type: "anthropic",
      baseUrl: server.url,
      apiKey: "k",
      model: "claude",
    });
    const error = await drain(model.stream({ messages: [{ role: "user", content: "hi" }] })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ upstreamStatus: 529, retryable: true, provider: "anthropic" });
  });
});
