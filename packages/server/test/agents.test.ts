import { providers } from "@oratio/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSecret } from "../src/crypto/secret-box.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, expectProblem, type SignedUp, signUp } from "./helpers.ts";

let t: TestApp;
let a: SignedUp;
beforeAll(async () => {
  t = await createTestApp();
  a = await signUp(t);
});
afterAll(() => t.close());

const receptionist = {
  name: "Front Desk",
  instructions: "Greet callers and book appointments.",
  greeting: "Hello, Brightsmile Dental!",
  model: { providerId: "local", model: "qwen2.5-0.5b-instruct" },
};

async function post(path: string, json: unknown, token = a.accessToken) {
  return t.request("POST", path, { token, json });
}

describe("providers", () => {
  it("stores the API key encrypted and never returns it", async () => {
    const res = await post("/api/v1/providers", {
      name: "OpenAI",
      type: "openai",
      apiKey: "sk-live-very-secret-value",
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ name: "OpenAI", type: "openai", hasApiKey: true });
    expect(JSON.stringify(body)).not.toContain("sk-live");
    const list = await (await t.request("GET", "/api/v1/providers", { token: a.accessToken })).text();
    expect(list).not.toContain("sk-live");
    const [row] = await t.database.db.select().from(providers);
    expect(row!.apiKeyEncrypted).not.toContain("sk-live");
    expect(openSecret(t.deps.keyring.encryption, row!.apiKeyEncrypted!)).toBe("sk-live-very-secret-value");
  });

  it("requires a base URL for OpenAI-compatible servers and refuses other schemes", async () => {
    await expectProblem(
      await post("/api/v1/providers", { name: "Ollama", type: "openai-compatible" }),
      400,
      "body.baseUrl",
    );
    await expectProblem(
      await post("/api/v1/providers", {
        name: "x",
        type: "openai-compatible",
        baseUrl: "file:///etc/passwd",
      }),
      400,
      "body.baseUrl",
    );
  });

  it("refuses to delete a provider an agent uses", async () => {
    const provider = await (
      await post("/api/v1/providers", { name: "Anthropic", type: "anthropic", apiKey: "k" })
    ).json();
    const agent = await (
      await post("/api/v1/agents", {
        ...receptionist,
        name: "Uses Anthropic",
        model: { providerId: provider.id, model: "claude" },
      })
    ).json();
    await expectProblem(
      await t.request("DELETE", `/api/v1/providers/${provider.id}`, { token: a.accessToken }),
      409,
    );
    await t.request("DELETE", `/api/v1/agents/${agent.id}`, { token: a.accessToken });
    expect(
      (await t.request("DELETE", `/api/v1/providers/${provider.id}`, { token: a.accessToken })).status,
    ).toBe(204);
  });
});

describe("agents and versions", () => {
  it("creates a published first version with a slug from the name", async () => {
    const res = await post("/api/v1/agents", receptionist);
    expect(res.status).toBe(201);
    const agent = await res.json();
    expect(agent).toMatchObject({
      name: "Front Desk",
      slug: "front-desk",
      status: "published",
      latestVersion: 1,
      publishedVersion: 1,
    });
    expect(agent.config).toMatchObject({ language: "en", handoffs: [], limits: { maxTurns: 50 } });
    const again = await (await post("/api/v1/agents", receptionist)).json();
    expect(again.slug).toBe("front-desk-2");
    await expectProblem(await post("/api/v1/agents", { ...receptionist, slug: "front-desk" }), 409);
  });

  it("names unknown providers, tools and handoff targets in a 422", async () => {
    const res = await post("/api/v1/agents", {
      ...receptionist,
      model: { providerId: "9d3a5b7e-0000-4000-8000-000000000000", model: "x" },
      toolIds: ["9d3a5b7e-0000-4000-8000-000000000001"],
      handoffs: [{ agentId: "9d3a5b7e-0000-4000-8000-000000000002", context: "full" }],
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors!.map((e) => e.path)).toEqual([
      "body.model.providerId",
      "body.toolIds.0",
      "body.handoffs.0.agentId",
    ]);
    await expectProblem(
      await post("/api/v1/agents", { ...receptionist, temperature: 1 }),
      400,
      "body.temperature",
    );
  });

  it("keeps every change as a version, publishes, diffs and rolls back", async () => {
    const agent = await (await post("/api/v1/agents", { ...receptionist, name: "Versioned" })).json();
    const url = `/api/v1/agents/${agent.id}`;
    const v2 = await (
      await t.request("PATCH", url, { token: a.accessToken, json: { instructions: "Be brief." } })
    ).json();
    expect(v2).toMatchObject({ latestVersion: 2, publishedVersion: 2 });
    expect(v2.config.greeting).toBe(receptionist.greeting);
    const v3 = await (
      await t.request("PATCH", `${url}?publish=false`, { token: a.accessToken, json: { greeting: "Hi!" } })
    ).json();
    expect(v3).toMatchObject({ latestVersion: 3, publishedVersion: 2 });

    const versions = await (await t.request("GET", `${url}/versions`, { token: a.accessToken })).json();
    expect(
      versions.data.map((v: { version: number; published: boolean }) => [v.version, v.published]),
    ).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
    const diff = await (await t.request("GET", `${url}/diff?from=1&to=3`, { token: a.accessToken })).json();
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: "instructions", change: "changed", before: receptionist.instructions, after: "Be brief." },
        { path: "greeting", change: "changed", before: receptionist.greeting, after: "Hi!" },
      ]),
    );
    const rolledBack = await (await post(`${url}/publish`, { version: 1 })).json();
    expect(rolledBack).toMatchObject({ publishedVersion: 1, latestVersion: 3 });
    const v1 = await (await t.request("GET", `${url}/versions/1`, { token: a.accessToken })).json();
    expect(v1).toMatchObject({
      version: 1,
      published: true,
      config: { instructions: receptionist.instructions },
    });
    await expectProblem(await post(`${url}/publish`, { version: 9 }), 404);
  });

  it("wires handoffs, exports the set and imports it into another organization", async () => {
    const billing = await (
      await post("/api/v1/agents", {
        ...receptionist,
        name: "Billing",
        instructions: "Answer billing questions.",
      })
    ).json();
    const desk = await (
      await post("/api/v1/agents", {
        ...receptionist,
        name: "Desk With Handoff",
        handoffs: [{ agentId: billing.id, context: "summary", description: "Billing questions" }],
      })
    ).json();
    await expectProblem(
      await t.request("PATCH", `/api/v1/agents/${desk.id}`, {
        token: a.accessToken,
        json: { handoffs: [{ agentId: desk.id }] },
      }),
      422,
    );
    const exported = await (await post("/api/v1/agents/export", { agentIds: [desk.id] })).json();
    expect(exported.agents.map((x: { slug: string }) => x.slug).sort()).toEqual([
      "billing",
      "desk-with-handoff",
    ]);
    const deskExport = exported.agents.find((x: { slug: string }) => x.slug === "desk-with-handoff");
    expect(deskExport.config.handoffs).toEqual([
      { agentSlug: "billing", context: "summary", description: "Billing questions" },
    ]);

    const b = await signUp(t);
    const imported = await post("/api/v1/agents/import", { ...exported, providerId: "local" }, b.accessToken);
    expect(imported.status).toBe(201);
    const created = (await imported.json()).data as { id: string; slug: string }[];
    const newDesk = created.find((x) => x.slug === "desk-with-handoff")!;
    const newBilling = created.find((x) => x.slug === "billing")!;
    const fetched = await (
      await t.request("GET", `/api/v1/agents/${newDesk.id}`, { token: b.accessToken })
    ).json();
    expect(fetched.config.handoffs).toEqual([
      { agentId: newBilling.id, context: "summary", description: "Billing questions" },
    ]);
  });

  it("archives deleted agents and frees their slug", async () => {
    const agent = await (
      await post("/api/v1/agents", { ...receptionist, name: "Temp", slug: "temp" })
    ).json();
    expect((await t.request("DELETE", `/api/v1/agents/${agent.id}`, { token: a.accessToken })).status).toBe(
      204,
    );
    await expectProblem(await t.request("GET", `/api/v1/agents/${agent.id}`, { token: a.accessToken }), 404);
    expect((await post("/api/v1/agents", { ...receptionist, name: "Temp", slug: "temp" })).status).toBe(201);
  });

  it("lets a read-only key list agents but not change them", async () => {
    const key = await createApiKey(t, a.accessToken, ["agents:read"]);
    expect((await t.request("GET", "/api/v1/agents", { token: key.key })).status).toBe(200);
    await expectProblem(await post("/api/v1/agents", receptionist, key.key), 403);
  });
});
