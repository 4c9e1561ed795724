import { type AgentDefinition, createSession, defineTool, runTurn } from "@oratio/core";
import { collectTurn, eventsOfType } from "@oratio/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createLanguageModel } from "../src/factory.ts";
import { sse, startServer } from "./http-fixture.ts";

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

describe("a turn over a real wire protocol", () => {
  it("runs tool call → tool result → reply through an OpenAI-compatible server, with fallback from a failing one", async () => {
    const down = await startServer((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "maintenance" } }));
    });
    const up = await startServer((req, res) => {
      const body = JSON.parse(req.body);
      if (body.messages.at(-1).role === "tool") {
        sse(
          res,
          [
            { data: chunk({ content: "Your order ships " }) },
            { data: chunk({ content: "tomorrow." }) },
            { data: chunk({}, "stop") },
          ],
          true,
        );
      } else {
        sse(
          res,
          [
            {
              data: chunk({
                tool_calls: [
                  {
                    index: 0,
                    id: "call_9",
                    type: "function",
                    function: { name: "order_status", arguments: '{"id":"A1"}' },
                  },
                ],
              }),
            },
            { data: chunk({}, "tool_calls") },
          ],
          true,
        );
      }
    });
    servers.push(down, up);
    const orderStatus = defineTool<{ id: string }>({
      name: "order_status",
      description: "Status of an order",
      parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
      execute: ({ id }) => ({ id, status: "ships tomorrow" }),
    });
    const agent: AgentDefinition = {
      name: "Orders",
      slug: "orders",
      instructions: "Answer order questions.",
      model: { model: "down", fallbacks: ["up"] },
      tools: [orderStatus],
    };
    const models = {
      down: createLanguageModel({ type: "openai-compatible", baseUrl: down.url, model: "m", name: "down" }),
      up: createLanguageModel({ type: "openai-compatible", baseUrl: up.url, model: "m", name: "up" }),
    } as const;
    const { events, result } = await collectTurn(
      runTurn({
        agents: { orders: agent },
        state: createSession(agent),
        input: "Where is A1?",
        models: (ref) => models[ref as keyof typeof models],
      }),
    );
    expect(result.reason).toBe("completed");
    expect(result.text).toBe("Your order ships tomorrow.");
    expect(eventsOfType(events, "fallback")).toHaveLength(2);
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({ name: "order_status", isError: false });
    const second = JSON.parse(up.requests[1]!.body);
    expect(second.messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "call_9",
      content: '{"id":"A1","status":"ships tomorrow"}',
    });
  });
});
