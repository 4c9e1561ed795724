import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, expectProblem, signUp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("API keys", () => {
  it("shows the secret once, authenticates as the organization, and stops at once when revoked", async () => {
    const owner = await signUp(t);
    const created = await createApiKey(t, owner.accessToken);
    expect(created.key).toMatch(/^ora_[A-Za-z0-9_-]{40,}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.scopes).toEqual(["*"]);

    const list = await (await t.request("GET", "/api/v1/api-keys", { token: owner.accessToken })).json();
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      id: created.id,
      name: "test key",
      prefix: created.prefix,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(created.key);

    const used = await t.request("GET", "/api/v1/organization", { token: created.key });
    expect(used.status).toBe(200);
    expect((await used.json()).id).toBe(owner.orgId);
    const afterUse = await (await t.request("GET", "/api/v1/api-keys", { token: owner.accessToken })).json();
    expect(afterUse.data[0].lastUsedAt).not.toBeNull();

    expect(
      (await t.request("DELETE", `/api/v1/api-keys/${created.id}`, { token: owner.accessToken })).status,
    ).toBe(204);
    await expectProblem(await t.request("GET", "/api/v1/organization", { token: created.key }), 401);
    const afterRevoke = await (
      await t.request("GET", "/api/v1/api-keys", { token: owner.accessToken })
    ).json();
    expect(afterRevoke.data).toHaveLength(0);
  });

  it("stores only a hash of the key", async () => {
    const owner = await signUp(t);
    const created = await createApiKey(t, owner.accessToken);
    const rows = await t.deps.db.query.apiKeys.findMany();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(created.key);
    expect(dump).not.toContain(created.key.slice(created.prefix.length));
  });

  it("limits a key to its scopes, and keeps people-only routes away from keys", async () => {
    const owner = await signUp(t);
    const readOnly = await createApiKey(t, owner.accessToken, ["organization:read"]);
    expect((await t.request("GET", "/api/v1/organization", { token: readOnly.key })).status).toBe(200);
    await expectProblem(
      await t.request("PATCH", "/api/v1/organization", { token: readOnly.key, json: { name: "x" } }),
      403,
    );
    const agentsOnly = await createApiKey(t, owner.accessToken, ["agents:write"]);
    await expectProblem(await t.request("GET", "/api/v1/organization", { token: agentsOnly.key }), 403);
    const full = await createApiKey(t, owner.accessToken);
    await expectProblem(await t.request("GET", "/api/v1/api-keys", { token: full.key }), 403);
    await expectProblem(await t.request("GET", "/api/v1/me", { token: full.key }), 403);
  });

  it("rejects unknown scopes with a problem naming the field", async () => {
    const owner = await signUp(t);
    const res = await t.request("POST", "/api/v1/api-keys", {
      token: owner.accessToken,
      json: { name: "k", scopes: ["everything"] },
    });
    await expectProblem(res, 400, "body.scopes.0");
  });

  it("rejects made-up keys", async () => {
    await expectProblem(await t.request("GET", "/api/v1/organization", { token: "ora_madeup" }), 401);
  });
});
