import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { signUp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function readUntil(res: Response, needle: string): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  return text;
}

describe("organization event stream", () => {
  it("delivers an organization's events to its members only, with token-in-query auth", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const streamA = await t.request("GET", `/api/v1/events?access_token=${a.accessToken}`, {
      headers: { accept: "text/event-stream" },
    });
    const streamB = await t.request("GET", "/api/v1/events", {
      token: b.accessToken,
      headers: { accept: "text/event-stream" },
    });
    expect(streamA.status).toBe(200);
    setTimeout(() => {
      t.deps.bus.publish(b.orgId, "session.started", { id: "for-b" });
      t.deps.bus.publish(a.orgId, "session.started", { id: "for-a" });
    }, 50);
    const textA = await readUntil(streamA as unknown as Response, "for-a");
    const textB = await readUntil(streamB as unknown as Response, "for-b");
    expect(textA).toContain("event: session.started");
    expect(textA).not.toContain("for-b");
    expect(textB).not.toContain("for-a");
  });

  it("does not accept a token in the query string on ordinary requests", async () => {
    const a = await signUp(t);
    const res = await t.request("GET", `/api/v1/organization?access_token=${a.accessToken}`);
    expect(res.status).toBe(401);
  });
});
