import { OrgScope } from "@oratio/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelRef, ProviderModelRegistry } from "../src/conversation/models.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { type SignedUp, signUp } from "./helpers.ts";

let t: TestApp;
let a: SignedUp;
let b: SignedUp;

beforeAll(async () => {
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(() => t.close());

async function createProvider(token: string) {
  const res = await t.request("POST", "/api/v1/providers", {
    token,
    json: {
      name: "Local server",
      type: "openai-compatible",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "sk-x",
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string };
}

describe("ProviderModelRegistry", () => {
  it("reuses a built model per organization, and forgets it when its provider is deleted", async () => {
    const registry = new ProviderModelRegistry(t.deps.config, t.deps.keyring.encryption);
    const provider = await createProvider(a.accessToken);
    const ref = modelRef(provider.id, "small-model");
    const scopeA = new OrgScope(t.deps.db, a.orgId);
    const first = (await registry.resolve(scopeA, [ref]))(ref);
    const second = (await registry.resolve(scopeA, [ref]))(ref);
    expect(second).toBe(first);
    expect(first.modelId).toBe("small-model");

    // Another organization cannot reach the provider, cached or not.
    await expect(registry.resolve(new OrgScope(t.deps.db, b.orgId), [ref])).rejects.toMatchObject({
      status: 404,
    });

    const res = await t.request("DELETE", `/api/v1/providers/${provider.id}`, { token: a.accessToken });
    expect(res.status).toBe(204);
    registry.forget(a.orgId, provider.id);
    await expect(registry.resolve(scopeA, [ref])).rejects.toMatchObject({ status: 404 });
  });
});
