import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { LanguageModel } from "@oratio/core";
import { ScriptedModel } from "@oratio/core/testing";
import { createTestApp, type TestApp } from "@oratio/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";

const chat = new ScriptedModel({ modelId: "cli-model" });
let t: TestApp;
let server: ReturnType<typeof serve>;
let env: Record<string, string>;
let agent: { id: string; slug: string };

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 50))),
    },
  };
}

beforeAll(async () => {
  t = await createTestApp({}, { models: { resolve: async () => (): LanguageModel => chat } });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const signup = await t.request("POST", "/api/v1/auth/signup", {
    json: {
      email: "cli@example.com",
      password: "cli-password-long",
      name: "Cli",
      organizationName: "Cli Org",
    },
  });
  const { accessToken } = await signup.json();
  const key = await (
    await t.request("POST", "/api/v1/api-keys", { token: accessToken, json: { name: "cli" } })
  ).json();
  const created = await t.request("POST", "/api/v1/agents?publish=false", {
    token: accessToken,
    json: {
      name: "Front desk",
      instructions: "Greet callers.",
      model: { providerId: "local", model: "cli-model" },
    },
  });
  agent = await created.json();
  await t.request("POST", `/api/v1/agents/${agent.id}/tests`, {
    token: accessToken,
    json: {
      name: "says the hours",
      turns: ["When are you open?"],
      expectations: { mustMention: ["9 to 5"] },
    },
  });
  env = { ORATIO_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ORATIO_API_KEY: key.key };
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

describe("oratio test", () => {
  it("prints a passing table and exits 0 (agent named by slug)", async () => {
    chat.push({ text: "We are open 9 to 5." });
    const { io, out } = captureIo();
    expect(await main(["test", agent.slug], env, io)).toBe(0);
    expect(out.join("\n")).toMatch(/PASS\s+says the hours/);
    expect(out.at(-1)).toMatch(/^1 passed, 0 failed/);
  });

  it("prints why a test failed and exits 1 (agent named by id)", async () => {
    chat.push({ text: "Please call back later." });
    const { io, out } = captureIo();
    expect(await main(["test", agent.id, "--version", "1"], env, io)).toBe(1);
    const table = out.join("\n");
    expect(table).toMatch(/FAIL\s+says the hours\s+mustMention "9 to 5": Never said/);
    expect(out.at(-1)).toMatch(/^0 passed, 1 failed/);
  });

  it("explains missing configuration, unknown agents and bad usage", async () => {
    const a = captureIo();
    expect(await main(["test", "front-desk"], {}, a.io)).toBe(2);
    expect(a.err.join()).toContain("ORATIO_URL");
    const b = captureIo();
    expect(await main(["test", "no-such-agent"], env, b.io)).toBe(1);
    expect(b.err.join()).toContain('No agent with the slug "no-such-agent"');
    const c = captureIo();
    expect(await main(["test"], env, c.io)).toBe(2);
    expect(c.err.join()).toContain("Usage: oratio test AGENT");
    const d = captureIo();
    expect(await main(["test", "x", "--bogus"], env, d.io)).toBe(2);
  });
});
