import { describe, expect, it } from "vitest";
import type { ModelStreamPart } from "../llm/types.ts";
import { ScriptedModel } from "./scripted-model.ts";

async function drain(parts: AsyncIterable<ModelStreamPart>) {
  const out: ModelStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe("ScriptedModel", () => {
  it("plays steps in order, records requests and reports left-over steps", async () => {
    const model = new ScriptedModel({
      steps: [{ text: ["a", "b"], toolCalls: [{ name: "t", args: { x: 1 }, id: "c1" }] }, { text: "unused" }],
    });
    const parts = await drain(model.stream({ messages: [{ role: "user", content: "hi" }] }));
    expect(parts).toEqual([
      { type: "text-delta", text: "a" },
      { type: "text-delta", text: "b" },
      { type: "tool-call", id: "c1", name: "t", args: '{"x":1}' },
      { type: "finish", reason: "tool-calls", usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    expect(model.requests).toHaveLength(1);
    expect(() => model.assertDone()).toThrow(/1 scripted step/);
    await drain(model.stream({ messages: [] }));
    expect(() => model.assertDone()).not.toThrow();
    await expect(drain(model.stream({ messages: [] }))).rejects.toThrow(/no scripted step left/);
  });

  it("honours abort while delayed", async () => {
    const model = new ScriptedModel({ steps: [{ delayMs: 10_000, text: "late" }] });
    const controller = new AbortController();
    const pending = drain(model.stream({ messages: [] }, { signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
