import { readFileSync } from "node:fs";
import path from "node:path";
import { BUSINESS_FIXTURE_DIR, type FixtureServer, startFixtureServer } from "@oratio/knowledge/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { expectProblem, type SignedUp, signUp } from "./helpers.ts";

let t: TestApp;
let a: SignedUp;
let site: FixtureServer;

beforeAll(async () => {
  site = await startFixtureServer();
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  a = await signUp(t);
});
afterAll(async () => {
  await t.close();
  await site.close();
});

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(BUSINESS_FIXTURE_DIR, name)));

async function waitForJob(id: string, token = a.accessToken) {
  // The SSE stream ends when the job does; its last event is the final state.
  const res = await t.request("GET", `/api/v1/jobs/${id}/events`, {
    token,
    headers: { accept: "text/event-stream" },
  });
  const text = await res.text();
  const last = text.trim().split("\n\n").at(-1)!;
  return JSON.parse(
    last
      .split("\n")
      .find((l) => l.startsWith("data:"))!
      .slice(5),
  ).data;
}

async function createKb(name = "Harborview") {
  const res = await t.request("POST", "/api/v1/knowledge-bases", { token: a.accessToken, json: { name } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

function upload(kbId: string, files: { name: string; bytes: Uint8Array; type?: string }[]) {
  const form = new FormData();
  for (const f of files)
    form.append("files", new File([f.bytes], f.name, { type: f.type ?? "application/octet-stream" }));
  return t.request("POST", `/api/v1/knowledge-bases/${kbId}/documents`, { token: a.accessToken, body: form });
}

async function search(kbId: string, query: string, topK = 5) {
  const res = await t.request("POST", `/api/v1/knowledge-bases/${kbId}/search`, {
    token: a.accessToken,
    json: { query, topK },
  });
  expect(res.status).toBe(200);
  return (await res.json()).results as {
    text: string;
    snippet: string;
    citation: {
      documentId: string;
      title: string;
      url: string | null;
      page: number | null;
      headingPath: string[];
    };
  }[];
}

describe("documents", () => {
  it("indexes a batch, refusing foreign, damaged and empty files while keeping the rest", async () => {
    const kb = await createKb();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const brokenPdf = new TextEncoder().encode("%PDF-1.7\n this is not really a pdf");
    const res = await upload(kb.id, [
      { name: "handbook.pdf", bytes: fixture("handbook.pdf") },
      { name: "policies.docx", bytes: fixture("policies.docx") },
      { name: "price-list.csv", bytes: fixture("price-list.csv") },
      { name: "logo.png", bytes: png },
      { name: "broken.pdf", bytes: brokenPdf },
    ]);
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.documents.map((d: { name: string }) => d.name)).toEqual([
      "handbook.pdf",
      "policies.docx",
      "price-list.csv",
    ]);
    expect(body.rejected).toEqual([
      expect.objectContaining({ name: "logo.png", status: 415 }),
      expect.objectContaining({ name: "broken.pdf", status: 422 }),
    ]);
    const job = await waitForJob(body.jobId);
    expect(job).toMatchObject({ status: "succeeded", progress: { total: 3, indexed: 3, failed: 0 } });

    const docs = (
      await (
        await t.request("GET", `/api/v1/knowledge-bases/${kb.id}/documents`, { token: a.accessToken })
      ).json()
    ).data;
    for (const d of docs) expect(d).toMatchObject({ status: "ready", error: null });
    expect(docs.find((d: { name: string }) => d.name === "handbook.pdf").pages).toBeGreaterThan(1);
    expect(docs.every((d: { chunks: number }) => d.chunks > 0)).toBe(true);

    const kbAfter = await (
      await t.request("GET", `/api/v1/knowledge-bases/${kb.id}`, { token: a.accessToken })
    ).json();
    expect(kbAfter.documentCount).toBe(3);
  });

  it("answers 415 when every file is of a foreign type, and 400 without files", async () => {
    const kb = await createKb();
    const res = await upload(kb.id, [
      { name: "photo.png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]) },
    ]);
    const problem = await expectProblem(res, 415);
    expect(problem.detail).toContain("photo.png");
    const empty = await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, {
      token: a.accessToken,
      body: new FormData(),
    });
    await expectProblem(empty, 400);
  });

  it("finds passages for customer wording with citations, and forgets deleted documents at once", async () => {
    const kb = await createKb();
    const body = await (
      await upload(kb.id, [{ name: "handbook.pdf", bytes: fixture("handbook.pdf") }])
    ).json();
    await waitForJob(body.jobId);
    const results = await search(kb.id, "what happens if i miss my appointment without calling");
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.citation).toMatchObject({
      documentId: body.documents[0].id,
      title: expect.any(String),
    });
    expect(results[0]!.citation.page).toBeGreaterThanOrEqual(1);
    expect(results[0]!.snippet).toMatch(/\*\*[^*]+\*\*/);

    const del = await t.request(
      "DELETE",
      `/api/v1/knowledge-bases/${kb.id}/documents/${body.documents[0].id}`,
      {
        token: a.accessToken,
      },
    );
    expect(del.status).toBe(204);
    expect(await search(kb.id, "what happens if i miss my appointment without calling")).toEqual([]);
  });
});

describe("websites", () => {
  it("refuses private addresses unless allowed, before any job starts", async () => {
    const strict = await createTestApp();
    try {
      const b = await signUp(strict);
      const kb = await (
        await strict.request("POST", "/api/v1/knowledge-bases", { token: b.accessToken, json: { name: "x" } })
      ).json();
      for (const url of [site.origin, "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/"]) {
        const res = await strict.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
          token: b.accessToken,
          json: { type: "url", url },
        });
        await expectProblem(res, 400);
      }
      expect(site.requests).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it("crawls the site within robots.txt, indexes its pages and re-syncs", async () => {
    const kb = await createKb();
    const res = await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
      token: a.accessToken,
      json: { type: "website", url: `${site.origin}/`, maxPages: 40 },
    });
    expect(res.status).toBe(202);
    const { jobId, sourceId } = await res.json();
    const job = await waitForJob(jobId);
    expect(job.status).toBe("succeeded");
    expect(job.progress.indexed).toBeGreaterThanOrEqual(10);
    expect(job.progress).toMatchObject({
      failed: 0,
      discovered: expect.any(Number),
      fetched: expect.any(Number),
    });
    expect(site.requests).toContain("/robots.txt");
    expect(site.requests.some((p) => p.startsWith("/internal/"))).toBe(false);

    const results = await search(kb.id, "my tooth is killing me what do i do");
    expect(results[0]!.citation.url).toContain("/emergencies");

    // Nothing changed: the re-sync re-indexes nothing.
    const again = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources/${sourceId}/sync`, {
        token: a.accessToken,
      })
    ).json();
    const resync = await waitForJob(again.jobId);
    expect(resync.progress).toMatchObject({ indexed: 0, removed: 0 });
    expect(resync.progress.unchanged).toBe(job.progress.indexed);
  });

  it("keeps another organization out of the knowledge base", async () => {
    const kb = await createKb();
    const b = await signUp(t);
    await expectProblem(
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/search`, {
        token: b.accessToken,
        json: { query: "hours" },
      }),
      404,
    );
  });
});
