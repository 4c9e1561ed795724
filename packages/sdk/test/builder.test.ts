import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedBuilderModels } from "../../server/test/scripted-models.ts";
import { ApiError, type GenerationProgress, isApiError, type Job } from "../src/index.ts";
import { createTestApp, signedUpClient, type TestApp } from "./helpers.ts";

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, "../../../fixtures/business", name));

const models = new ScriptedBuilderModels();
let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp({}, { models });
});
afterAll(() => testApp.close());

describe("agent builder", () => {
  it("generates agents from an SOP file and documents, follows the stages, and reads the results", async () => {
    const { client } = await signedUpClient(testApp, "builder");
    const started = await client.builder.generate({
      name: "Harborview Family Dental",
      sop: { name: "sop.md", data: fixture("sop.md"), type: "text/markdown" },
      files: [
        { name: "price-list.csv", data: fixture("price-list.csv") },
        { name: "notes.exe", data: new Uint8Array([0, 1, 2, 3]) },
      ],
      providerId: "local",
      model: "harbor",
    });
    expect(started.model).toEqual({ providerId: "local", model: "harbor" });
    expect(started.rejected.map((r) => r.name)).toEqual(["notes.exe"]);

    const seen: Job[] = [];
    for await (const job of client.jobs.watch(started.jobId)) seen.push(job);
    const last = seen.at(-1)!;
    expect(last.status).toBe("succeeded");
    const stages = (last.progress as GenerationProgress).stages ?? [];
    expect(stages.map((s) => s.name)).toContain("parse SOP");
    expect(stages.find((s) => s.name === "crawl site")?.status).toBe("skipped");
    expect(stages.filter((s) => s.name !== "crawl site").every((s) => s.status === "done")).toBe(true);

    const report = await client.builder.report(started.reportId);
    expect(report.status).toBe("succeeded");
    expect(report.agentIds.length).toBeGreaterThan(1);
    const entry = report.report.agents?.find((a) => a.entry);
    expect(entry?.role).toBe("Receptionist");
    expect(entry?.reviewCycles.length).toBeGreaterThan(0);

    const { profile } = await client.builder.profile(entry!.agentId);
    expect(profile.prices.length).toBeGreaterThan(0);
    expect(profile.prices[0]?.citation?.title).toBeTruthy();
    const procedures = await client.builder.procedures(entry!.agentId);
    expect(procedures.map((p) => p.intent).join(" ")).toMatch(/book/i);
    expect(procedures[0]?.citation.excerpt).toBeTruthy();

    const edited = await client.builder.updateProfile(entry!.agentId, {
      ...profile,
      businessName: { text: "Harborview Dental Downtown", citation: null },
    });
    expect(edited.version).toBeGreaterThan(entry!.version);
    expect((await client.builder.profile(entry!.agentId)).profile.businessName?.text).toBe(
      "Harborview Dental Downtown",
    );
  });

  it("names the SOP problem when generation is refused, and has no recording for a chat session", async () => {
    const { client } = await signedUpClient(testApp, "builder-refused");
    const refused = await client.builder
      .generate({ name: "Empty", sop: "   ", providerId: "local", model: "harbor" })
      .catch((error: unknown) => error);
    expect(isApiError(refused) && refused.status).toBe(400);

    const agent = await client.agents.create({
      name: "Desk",
      instructions: "Greet callers.",
      model: { providerId: "local", model: "desk" },
    });
    const session = await client.sessions.create({ agentId: agent.id });
    const missing = await client.sessions.recording(session.id).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
  });
});
