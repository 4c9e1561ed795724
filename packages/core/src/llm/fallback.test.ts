import { describe, expect, it } from "vitest";
import { ProviderError } from "../errors.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { type FallbackNotice, streamWithFallback, withFallbacks } from "./fallback.ts";
import { AllModelsFailedError, ModelTimeoutError } from "./model-errors.ts";
import type { ModelStreamPart } from "./types.ts";

const request = { messages: [{ role: "user" as const, content: "hi" }] };

async function drain(parts: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const out: ModelStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe("streamWithFallback", () => {
  it("serves the request from the next model when the first one errors, and reports it", async () => {
    const primary = new ScriptedModel({
      modelId: "primary",
      steps: [{ error: new ProviderError("x", "down", { upstreamStatus: 503 }) }],
    });
    const backup = new ScriptedModel({ modelId: "backup", steps: [{ text: "hello" }] });
    const notices: FallbackNotice[] = [];
    const parts = await drain(
      streamWithFallback([primary, backup], request, { onFallback: (n) => notices.push(n) }),
    );
    expect(parts[0]).toEqual({ type: "text-delta", text: "hello" });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.from.modelId).toBe("primary");
    expect(notices[0]!.to.modelId).toBe("backup");
    primary.assertDone();
    backup.assertDone();
  });

  it("treats no first output within the budget as a failure and aborts the slow model", async () => {
    const slow = new ScriptedModel({ modelId: "slow", steps: [{ hang: true }] });
    const backup = new ScriptedModel({ modelId: "backup", steps: [{ text: "fast" }] });
    const notices: FallbackNotice[] = [];
    const model = withFallbacks([slow, backup], {
      firstPartTimeoutMs: 20,
      onFallback: (n) => notices.push(n),
    });
    const parts = await drain(model.stream(request));
    expect(parts.map((p) => p.type)).toEqual(["text-delta", "finish"]);
    expect(notices[0]!.error).toBeInstanceOf(ModelTimeoutError);
  });

  it("does not switch models once output has been streamed", async () => {
    const flaky = new ScriptedModel({
      steps: [{ text: "partial", error: new Error("cut"), errorAfterText: true }],
    });
    const backup = new ScriptedModel({ steps: [{ text: "never" }] });
    await expect(drain(streamWithFallback([flaky, backup], request))).rejects.toThrow("cut");
    expect(backup.remaining).toBe(1);
  });

  it("reports every attempt when the whole chain fails", async () => {
    const a = new ScriptedModel({ modelId: "a", steps: [{ error: new Error("a down") }] });
    const b = new ScriptedModel({ modelId: "b", steps: [{ error: new Error("b down") }] });
    const error = await drain(streamWithFallback([a, b], request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect((error as AllModelsFailedError).attempts.map((x) => x.modelId)).toEqual(["a", "b"]);
  });

  it("stops on abort instead of trying the next model", async () => {
    const controller = new AbortController();
    const hanging = new ScriptedModel({ steps: [{ hang: true }] });
    const backup = new ScriptedModel({ steps: [{ text: "never" }] });
    const pending = drain(streamWithFallback([hanging, backup], request, { signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(backup.remaining).toBe(1);
  });
});
