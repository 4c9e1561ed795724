import { ScriptedModel } from "@oratio/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { callStructured, INPUT_MARKER, type ModelCallRecord } from "../src/builder/structured-call.ts";

const schema = z.object({ intents: z.array(z.string().min(1)).min(1) });
const request = {
  stage: "parse SOP",
  purpose: "test",
  name: "sop_procedures",
  system: "Parse.",
  task: "List the intents.",
  input: { passages: ["Booking"] },
  schema,
};

describe("structured model calls", () => {
  it("passes the JSON schema as the response format and the input after the marker", async () => {
    const model = new ScriptedModel({ steps: [{ text: '{"intents":["Booking"]}' }] });
    const log: ModelCallRecord[] = [];
    expect(await callStructured(model, request, log, new AbortController().signal)).toEqual({
      intents: ["Booking"],
    });
    const sent = model.requests[0]!;
    expect(sent.responseFormat).toMatchObject({ type: "json", name: "sop_procedures" });
    expect(
      (sent.responseFormat as unknown as { schema: { properties: object } }).schema.properties,
    ).toHaveProperty("intents");
    expect(sent.messages[0]!.content).toContain(`${INPUT_MARKER}\n{"passages":["Booking"]}`);
    expect(log).toMatchObject([{ stage: "parse SOP", attempt: 1, valid: true, outputChars: 23 }]);
  });

  it("retries once with the validation error, then accepts corrected output", async () => {
    const model = new ScriptedModel({
      steps: [{ text: '{"intents":[]}' }, { text: '```json\n{"intents":["Billing"]}\n```' }],
    });
    const log: ModelCallRecord[] = [];
    expect(await callStructured(model, request, log, new AbortController().signal)).toEqual({
      intents: ["Billing"],
    });
    const retry = model.requests[1]!.messages;
    expect(retry.at(-2)).toEqual({ role: "assistant", content: '{"intents":[]}' });
    expect(retry.at(-1)!.content).toMatch(/intents: Too small/);
    expect(log.map((c) => [c.attempt, c.valid])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it("fails with a clear error when the output is invalid twice", async () => {
    const model = new ScriptedModel({ steps: [{ text: "not json" }, { text: '{"intents":"Booking"}' }] });
    await expect(callStructured(model, request, [], new AbortController().signal)).rejects.toMatchObject({
      status: 422,
      detail: expect.stringContaining("test output was invalid twice"),
    });
  });
});
