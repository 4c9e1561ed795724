import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ModelFileServer, serveModelFiles, sha256Of } from "@oratio/providers/model-store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, expectProblem, joinAs, type SignedUp, signUp } from "./helpers.ts";

// Large and slow enough (32 chunks, 25 ms apart) for the throttled job progress to show
// the transfer part way, not only its start and end.
const model = randomBytes(2 * 1024 * 1024);
let files: ModelFileServer;
let work: string;
let storeDir: string;
let catalogueFile: string;
let catalogueJson: string;
let t: TestApp;
let owner: SignedUp;

beforeAll(async () => {
  files = await serveModelFiles([{ path: "/m/small-chat.gguf", body: model, chunkDelayMs: 25 }]);
  work = await mkdtemp(path.join(tmpdir(), "oratio-model-store-"));
  storeDir = path.join(work, "models");
  catalogueFile = path.join(work, "catalogue.json");
  catalogueJson = JSON.stringify({
    models: [
      {
        name: "small-chat",
        kind: "llm",
        url: `${files.url}/m/small-chat.gguf`,
        sha256: sha256Of(model),
        bytes: model.length,
        license: "Apache-2.0",
      },
      {
        name: "tampered",
        kind: "llm",
        url: `${files.url}/m/small-chat.gguf`,
        sha256: "e".repeat(64),
        file: "llm/tampered.gguf",
      },
      // Private address not in ORATIO_FETCH_ALLOW: the outbound guard refuses it.
      { name: "intranet", kind: "llm", url: "http://10.20.30.40/m.gguf", sha256: "d".repeat(64) },
    ],
  });
  await writeFile(catalogueFile, catalogueJson);
  t = await createTestApp({
    ORATIO_MODELS_DIR: storeDir,
    ORATIO_MODEL_CATALOGUE: catalogueFile,
    ORATIO_FETCH_ALLOW: "127.0.0.1",
  });
  owner = await signUp(t);
});
afterAll(async () => {
  await t.close();
  await files.close();
  await rm(work, { recursive: true, force: true });
});

async function storeFiles(): Promise<string[]> {
  const entries = await readdir(storeDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function waitForJob(id: string, token: string) {
  for (;;) {
    const job = await (await t.request("GET", `/api/v1/jobs/${id}`, { token })).json();
    if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("model store pulls", () => {
  it("an owner pulls a catalogued model as a job with progress; it then shows in the store", async () => {
    const before = await (await t.request("GET", "/api/v1/model-store", { token: owner.accessToken })).json();
    expect(before.data).toEqual([]);
    const catalogue = await (
      await t.request("GET", "/api/v1/model-store/catalogue", { token: owner.accessToken })
    ).json();
    expect(catalogue.data.find((m: { name: string }) => m.name === "small-chat")).toMatchObject({
      kind: "llm",
      bytes: model.length,
      file: "llm/small-chat.gguf",
      inStore: false,
    });
    expect(catalogue.data.map((m: { name: string }) => m.name)).toContain("stories260k"); // built-ins too

    const started = await t.request("POST", "/api/v1/model-store/pull", {
      token: owner.accessToken,
      json: { name: "small-chat" },
    });
    expect(started.status).toBe(202);
    const { jobId, file } = await started.json();
    expect(file).toBe("llm/small-chat.gguf");

    // The job's event stream ends with the job; every update carries the byte counts.
    const stream = await t.request("GET", `/api/v1/jobs/${jobId}/events`, {
      token: owner.accessToken,
      headers: { accept: "text/event-stream" },
    });
    const updates = (await stream.text())
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)).data);
    const last = updates.at(-1);
    expect(last.status).toBe("succeeded");
    expect(last.result).toEqual({
      name: "small-chat",
      file: "llm/small-chat.gguf",
      bytes: model.length,
      sha256: sha256Of(model),
      downloaded: true,
    });
    const partway = updates.filter(
      (u) => u.progress.receivedBytes > 0 && u.progress.receivedBytes < u.progress.totalBytes,
    );
    expect(partway.length).toBeGreaterThan(0);
    expect(partway.every((u) => u.progress.totalBytes === model.length)).toBe(true);
    expect(last.progress).toEqual({ receivedBytes: model.length, totalBytes: model.length });

    expect(sha256Of(await readFile(path.join(storeDir, "llm", "small-chat.gguf")))).toBe(sha256Of(model));
    const after = await (await t.request("GET", "/api/v1/model-store", { token: owner.accessToken })).json();
    expect(after.data).toEqual([
      expect.objectContaining({ name: "llm/small-chat.gguf", bytes: model.length }),
    ]);
    const catalogueAfter = await (
      await t.request("GET", "/api/v1/model-store/catalogue", { token: owner.accessToken })
    ).json();
    expect(catalogueAfter.data.find((m: { name: string }) => m.name === "small-chat").inStore).toBe(true);
  });

  it("fails a download whose sha256 does not match, without retrying or keeping a file", async () => {
    const started = await t.request("POST", "/api/v1/model-store/pull", {
      token: owner.accessToken,
      json: { name: "tampered" },
    });
    expect(started.status).toBe(202);
    const job = await waitForJob((await started.json()).jobId, owner.accessToken);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.error).toBe(
      `tampered: expected sha256 ${"e".repeat(64)}, got ${sha256Of(model)}. The file was discarded.`,
    );
    expect(await storeFiles()).not.toContain("tampered.gguf");
    expect((await storeFiles()).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("answers problems for unknown names, bad bodies and blocked hosts, starting no job", async () => {
    const jobsBefore = (await (await t.request("GET", "/api/v1/jobs", { token: owner.accessToken })).json())
      .data.length;
    const unknown = await expectProblem(
      await t.request("POST", "/api/v1/model-store/pull", {
        token: owner.accessToken,
        json: { name: "no-such-model" },
      }),
      404,
    );
    expect(unknown.detail).toMatch(
      /^Model "no-such-model" is not in the catalogue\. Known models: .*small-chat/,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/model-store/pull", { token: owner.accessToken, json: { name: "" } }),
      400,
      "body.name",
    );
    await expectProblem(
      await t.request("POST", "/api/v1/model-store/pull", {
        token: owner.accessToken,
        json: { name: "small-chat", url: "http://elsewhere.example/" },
      }),
      400,
    );
    const blocked = await expectProblem(
      await t.request("POST", "/api/v1/model-store/pull", {
        token: owner.accessToken,
        json: { name: "intranet" },
      }),
      400,
    );
    expect(blocked.detail).toContain("ORATIO_FETCH_ALLOW");
    const jobsAfter = (await (await t.request("GET", "/api/v1/jobs", { token: owner.accessToken })).json())
      .data.length;
    expect(jobsAfter).toBe(jobsBefore);
  });

  it("lets viewers read the store but only admins (or keys with providers:write) pull", async () => {
    const viewer = await joinAs(t, owner, "viewer");
    const member = await joinAs(t, owner, "member");
    const admin = await joinAs(t, owner, "admin");
    const pull = (token: string) =>
      t.request("POST", "/api/v1/model-store/pull", { token, json: { name: "small-chat" } });
    expect((await t.request("GET", "/api/v1/model-store", { token: viewer.accessToken })).status).toBe(200);
    expect(
      (await t.request("GET", "/api/v1/model-store/catalogue", { token: viewer.accessToken })).status,
    ).toBe(200);
    await expectProblem(await pull(viewer.accessToken), 403);
    await expectProblem(await pull(member.accessToken), 403);
    const readOnlyKey = await createApiKey(t, owner.accessToken, ["providers:read"]);
    await expectProblem(await pull(readOnlyKey.key), 403);
    expect((await t.request("GET", "/api/v1/model-store", { token: readOnlyKey.key })).status).toBe(200);

    // Already in the store with the right checksum: the job succeeds without downloading.
    const byAdmin = await pull(admin.accessToken);
    expect(byAdmin.status).toBe(202);
    const job = await waitForJob((await byAdmin.json()).jobId, admin.accessToken);
    expect(job.result).toMatchObject({ name: "small-chat", downloaded: false });
    const writeKey = await createApiKey(t, owner.accessToken, ["providers:write"]);
    expect((await pull(writeKey.key)).status).toBe(202);
  });

  it("reports a broken operator catalogue as a 503 problem", async () => {
    await writeFile(catalogueFile, "{ not json");
    try {
      const problem = await expectProblem(
        await t.request("GET", "/api/v1/model-store/catalogue", { token: owner.accessToken }),
        503,
      );
      expect(problem.detail).toMatch(/catalogue\.json is not JSON/);
      await expectProblem(
        await t.request("POST", "/api/v1/model-store/pull", {
          token: owner.accessToken,
          json: { name: "small-chat" },
        }),
        503,
      );
    } finally {
      await writeFile(catalogueFile, catalogueJson);
    }
  });
});
