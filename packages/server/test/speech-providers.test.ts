import { OrgScope } from "@oratio/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelRef, ProviderModelRegistry } from "../src/conversation/models.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { speechCredentials } from "../src/voice/speech-credentials.ts";
import { type SignedUp, signUp } from "./helpers.ts";

let t: TestApp;
let a: SignedUp;
let b: SignedUp;

beforeAll(async () => {
  t = await createTestApp();
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(() => t.close());

async function createProvider(token: string, json: Record<string, unknown>) {
  const res = await t.request("POST", "/api/v1/providers", { token, json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; type: string; hasApiKey: boolean };
}

describe("speech providers", () => {
  it("stores Deepgram, ElevenLabs and Cartesia keys like any provider, write-only", async () => {
    for (const type of ["deepgram", "elevenlabs", "cartesia"]) {
      const created = await createProvider(a.accessToken, {
        name: `${type} prod`,
        type,
        apiKey: `${type}-secret`,
      });
      expect(created).toMatchObject({ type, hasApiKey: true });
      expect(JSON.stringify(created)).not.toContain(`${type}-secret`);
    }
    const list = await t.request("GET", "/api/v1/providers", { token: a.accessToken });
    const types = ((await list.json()) as { data: { type: string }[] }).data.map((p) => p.type);
    expect(types).toEqual(expect.arrayContaining(["deepgram", "elevenlabs", "cartesia"]));
    const bad = await t.request("POST", "/api/v1/providers", {
      token: a.accessToken,
      json: { name: "x", type: "assemblyai", apiKey: "k" },
    });
    expect(bad.status).toBe(400);
  });

  it("decrypts the key for a voice setting only within the organization and for the right type", async () => {
    const row = await createProvider(a.accessToken, { name: "dg", type: "deepgram", apiKey: "dg-key-1" });
    const request = {
      engine: "deepgram",
      setting: "voice.stt",
      providerId: row.id,
      types: ["deepgram"] as const,
      requireKey: true,
    };
    const key = t.deps.keyring.encryption;
    await expect(speechCredentials(new OrgScope(t.deps.db, a.orgId), key, request)).resolves.toEqual({
      apiKey: "dg-key-1",
      baseUrl: undefined,
    });
    await expect(speechCredentials(new OrgScope(t.deps.db, b.orgId), key, request)).rejects.toThrow(
      /does not exist/,
    );
    await expect(
      speechCredentials(new OrgScope(t.deps.db, a.orgId), key, { ...request, types: ["elevenlabs"] }),
    ).rejects.toThrow(/type deepgram; .* needs a provider of type elevenlabs/);
    const keyless = await createProvider(a.accessToken, { name: "dg2", type: "deepgram" });
    await expect(
      speechCredentials(new OrgScope(t.deps.db, a.orgId), key, { ...request, providerId: keyless.id }),
    ).rejects.toThrow(/has no API key/);
  });

  it("refuses a speech-only provider as an agent's language model", async () => {
    const registry = new ProviderModelRegistry(t.deps.config, t.deps.keyring.encryption);
    const row = await createProvider(a.accessToken, { name: "voice only", type: "elevenlabs", apiKey: "k" });
    const ref = modelRef(row.id, "eleven_flash_v2_5");
    await expect(registry.resolve(new OrgScope(t.deps.db, a.orgId), [ref])).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/speech only/),
    });
  });
});
