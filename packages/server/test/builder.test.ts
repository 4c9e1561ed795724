import { readFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModel, ModelRequest, StreamOptions } from "@oratio/core";
import { ScriptedModel, type ScriptStep } from "@oratio/core/testing";
import { BUSINESS_FIXTURE_DIR, type FixtureServer, startFixtureServer } from "@oratio/knowledge/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InstantBuilderModel } from "../src/builder/testing/instant-builder-model.ts";
import type { ModelRegistry } from "../src/conversation/models.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { expectProblem, type SignedUp, signUp } from "./helpers.ts";

/**
 * One model id serves both the builder (JSON requests, answered from the prompt's input)
 * and the generated agents' conversations (a ScriptedModel each test scripts).
 */
class BuilderModels implements ModelRegistry {
  readonly builder = new InstantBuilderModel("harbor");
  chat = new ScriptedModel({ modelId: "harbor" });
  async resolve(): Promise<(ref: string) => LanguageModel> {
    const routing: LanguageModel = {
      provider: "test",
      modelId: "harbor",
      stream: (request: ModelRequest, options?: StreamOptions) =>
        request.responseFormat?.type === "json"
          ? this.builder.stream(request, options)
          : this.chat.stream(request, options),
    };
    return () => routing;
  }
}

const MAX_UPLOAD = 200_000;
let t: TestApp;
let a: SignedUp;
let site: FixtureServer;
const models = new BuilderModels();

beforeAll(async () => {
  site = await startFixtureServer();
  t = await createTestApp(
    { ORATIO_FETCH_ALLOW: "127.0.0.1", ORATIO_UPLOAD_MAX_BYTES: String(MAX_UPLOAD) },
    { models },
  );
  a = await signUp(t);
});
afterAll(async () => {
  await t.close();
  await site.close();
});

const fixture = (name: string) => readFileSync(path.join(BUSINESS_FIXTURE_DIR, name));

function generateForm(fields: Record<string, string | File | File[] | undefined>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  }
  return form;
}

const documentsOf = () => [
  new File([fixture("handbook.pdf")], "handbook.pdf"),
  new File([fixture("policies.docx")], "policies.docx"),
  new File([fixture("price-list.csv")], "price-list.csv"),
];

async function waitForJob(id: string) {
  const res = await t.request("GET", `/api/v1/jobs/${id}/events`, {
    token: a.accessToken,
    headers: { accept: "text/event-stream" },
  });
  const last = (await res.text()).trim().split("\n\n").at(-1)!;
  return JSON.parse(
    last
      .split("\n")
      .find((l) => l.startsWith("data:"))!
      .slice(5),
  ).data;
}

const get = async (url: string) => {
  const res = await t.request("GET", url, { token: a.accessToken });
  expect(res.status, url).toBe(200);
  return res.json();
};

interface TestCase {
  id: string;
  name: string;
  turns: string[];
  expectations: {
    mustMention?: string[];
    mustCite?: boolean;
    mustHandOffTo?: string;
    mustRequestHuman?: boolean;
  };
}

/** Steps of a model that does what the SOP asks for one test: transfer, escalate, look up and say. */
function followSop(test: TestCase): ScriptStep[] {
  const e = test.expectations;
  const say = `Certainly. ${(e.mustMention ?? []).join(", ")}`.trim();
  // The receiving agent introduces itself with its own line; no further model call.
  if (e.mustHandOffTo)
    return [{ toolCalls: [{ name: `transfer_to_${e.mustHandOffTo}`, args: { reason: test.turns[0] } }] }];
  if (e.mustRequestHuman)
    return [
      { toolCalls: [{ name: "request_human", args: { reason: test.name } }] },
      { text: "I have asked a colleague to join." },
    ];
  if (e.mustCite)
    return [{ toolCalls: [{ name: "search_knowledge", args: { query: test.turns[0] } }] }, { text: say }];
  return [{ text: say }];
}

describe("agent builder", () => {
  let agentIds: string[];
  let reportId: string;
  let receptionist: { id: string; slug: string; latestVersion: number };

  it("builds a receptionist and the SOP's specialists, with profile, procedures, handoffs and tests", async () => {
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: a.accessToken,
      body: generateForm({
        name: "Harborview Family Dental",
        sop: fixture("sop.md").toString("utf8"),
        files: documentsOf(),
        websiteUrl: `${site.origin}/`,
        providerId: "local",
        model: "harbor",
      }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const accepted = await res.json();
    expect(accepted.rejected).toEqual([]);
    const job = await waitForJob(accepted.jobId);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    ({ agentIds, reportId } = job.result);
    // Progress is reported by stage, with the knowledge jobs' own counters.
    const progress = (await get(`/api/v1/jobs/${accepted.jobId}`)).progress;
    expect(progress.stages.map((x: { name: string }) => x.name)).toEqual([
      "ingest documents",
      "crawl site",
      "parse SOP",
      "extract business profile",
      "draft agent",
      "review",
      "refine",
      "build tests",
    ]);
    expect(progress.crawl.indexed).toBeGreaterThan(5);
    expect(reportId).toBe(accepted.reportId);

    const agents = (await get("/api/v1/agents")).data as {
      id: string;
      name: string;
      slug: string;
      status: string;
      latestVersion: number;
      config: { handoffs: { agentId: string }[]; instructions: string; knowledgeBaseIds: string[] };
    }[];
    const built = agents.filter((x) => agentIds.includes(x.id));
    expect(built.map((x) => x.name).sort()).toEqual(["Billing coordinator", "Clinical team", "Receptionist"]);
    expect(built.every((x) => x.status === "draft")).toBe(true);
    const front = built.find((x) => x.name === "Receptionist")!;
    receptionist = front;
    expect(front.config.handoffs.map((h) => h.agentId).sort()).toEqual(
      built
        .filter((x) => x !== front)
        .map((x) => x.id)
        .sort(),
    );
    for (const specialist of built.filter((x) => x !== front))
      expect(specialist.config.handoffs.map((h) => h.agentId)).toEqual([front.id]);
    // The agent reads its procedures and profile in its instructions.
    expect(front.config.instructions).toContain("Booking a new appointment");
    expect(front.config.instructions).toContain("<business-profile>");
    expect(front.config.knowledgeBaseIds).toEqual([accepted.knowledgeBaseId]);

    const profile = (await get(`/api/v1/agents/${front.id}/profile`)).profile;
    expect(profile.prices.length).toBeGreaterThan(0);
    expect(profile.prices[0].citation.title.length).toBeGreaterThan(0);
    expect(profile.hours.length).toBeGreaterThan(0);

    const procedures = (await get(`/api/v1/agents/${front.id}/procedures`)).data;
    expect(procedures.map((p: { intent: string }) => p.intent)).toContain("Booking a new appointment");
    expect(procedures[0].citation.heading).toBe(procedures[0].intent);
    const billing = built.find((x) => x.name === "Billing coordinator")!;
    expect((await get(`/api/v1/agents/${billing.id}/procedures`)).data[0].intent).toBe("Billing questions");

    const report = await get(`/api/v1/agents/generation-reports/${reportId}`);
    expect(report.status).toBe("succeeded");
    const stages = report.report.stages as { name: string; status: string }[];
    expect(stages.map((s) => s.status)).toEqual(Array(8).fill("done"));
    expect(report.report.modelCallTotals.count).toBe(report.report.modelCalls.length);
    const cycles = report.report.agents[0].reviewCycles;
    expect(cycles.length).toBe(2);
    expect(cycles[0].findings.map((f: { kind: string }) => f.kind)).toContain("missing-escalation");
    expect(cycles[0].changed).toContain("rules");
    expect(cycles[1].findings).toEqual([]);

    const tests = (await get(`/api/v1/agents/${front.id}/tests`)).data as TestCase[];
    // Six intents and five escalation rules in the SOP.
    expect(tests.length).toBe(11);
    expect(tests.filter((x) => x.expectations.mustRequestHuman).length).toBe(5);
    expect(
      tests
        .map((x) => x.expectations.mustHandOffTo)
        .filter(Boolean)
        .sort(),
    ).toEqual(["billing-coordinator", "clinical-team"]);
  });

  async function runSuite(script: (test: TestCase) => ScriptStep[]) {
    const tests = (await get(`/api/v1/agents/${receptionist.id}/tests`)).data as TestCase[];
    models.chat = new ScriptedModel({ modelId: "harbor" });
    for (const test of tests) models.chat.push(...script(test));
    const res = await t.request("POST", `/api/v1/agents/${receptionist.id}/tests/run`, {
      token: a.accessToken,
      json: { version: receptionist.latestVersion },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { jobId, runId } = await res.json();
    const job = await waitForJob(jobId);
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    const run = await get(`/api/v1/agents/${receptionist.id}/test-runs/${runId}`);
    const summary = run.results.map(
      (r: { name: string; transcript: { kind: string; text?: string; name?: string }[] }) =>
        `${r.name}: ${r.transcript.map((e) => `${e.kind}(${e.text ?? e.name ?? ""})`).join(" ")}`,
    );
    expect(models.chat.remaining, summary.join("\n")).toBe(0);
    return run;
  }

  it("runs the starter suite green against a model that follows the SOP", async () => {
    // Test runs start on a named (draft) version, so the unpublished specialists are reachable.
    const run = await runSuite(followSop);
    const failures = run.results.filter((r: { passed: boolean }) => !r.passed);
    expect(failures, JSON.stringify(failures, null, 1)).toEqual([]);
    expect(run.status).toBe("passed");
    expect(run.agentVersion).toBe(receptionist.latestVersion);
    expect(run.passed).toBe(11);
    const handoff = run.results.find((r: { name: string }) => r.name === "Intent: Billing questions");
    expect(handoff.transcript.map((e: { kind: string }) => e.kind)).toContain("handoff");
  });

  it("fails with a clear report against a model that grants a fee waiver itself", async () => {
    const breaks = (test: TestCase) =>
      /fee waiver/.test(test.name)
        ? [{ text: "No problem, I have waived the fee for you." }]
        : followSop(test);
    const run = await runSuite(breaks);
    expect(run.status).toBe("failed");
    expect(run.failed).toBe(1);
    const failed = run.results.find((r: { passed: boolean }) => !r.passed);
    expect(failed.name).toMatch(/fee waiver/);
    expect(failed.expectations).toEqual([
      {
        expectation: "mustRequestHuman",
        passed: false,
        detail: 'No human was requested; the agent replied "No problem, I have waived the fee for you.".',
      },
    ]);
    expect(failed.transcript.at(-1)).toMatchObject({
      kind: "assistant",
      text: "No problem, I have waived the fee for you.",
    });
  });

  it("shows another organization nothing", async () => {
    const b = await signUp(t);
    const urls = [
      `/api/v1/agents/generation-reports/${reportId}`,
      `/api/v1/agents/${receptionist.id}/profile`,
      `/api/v1/agents/${receptionist.id}/procedures`,
      `/api/v1/agents/${receptionist.id}/tests`,
      `/api/v1/agents/${receptionist.id}/test-runs`,
    ];
    for (const url of urls) await expectProblem(await t.request("GET", url, { token: b.accessToken }), 404);
    const run = await t.request("POST", `/api/v1/agents/${receptionist.id}/tests/run`, {
      token: b.accessToken,
      json: {},
    });
    await expectProblem(run, 404);
  });

  it("edits the profile as a new draft version that the agent reads", async () => {
    const current = (await get(`/api/v1/agents/${receptionist.id}/profile`)).profile;
    const edited = { ...current, discounts: [{ text: "Seniors get 10% off cleanings.", citation: null }] };
    const res = await t.request("PUT", `/api/v1/agents/${receptionist.id}/profile`, {
      token: a.accessToken,
      json: edited,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.version).toBe(receptionist.latestVersion + 1);
    const agent = await get(`/api/v1/agents/${receptionist.id}`);
    expect(agent.status).toBe("draft");
    expect(agent.config.instructions).toContain("Seniors get 10% off cleanings.");
    expect(agent.config.instructions.match(/<business-profile>/g)).toHaveLength(1);
  });
});

describe("agent builder input", () => {
  const sop = "# SOP\n\n## Booking\n\n1. Ask for the name.\n";

  it("requires an SOP", async () => {
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: a.accessToken,
      body: generateForm({ name: "X", providerId: "local", model: "harbor" }),
    });
    await expectProblem(res, 400);
  });

  it("lists foreign and oversize files as rejected and keeps the rest", async () => {
    const png = new File(
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
      "logo.png",
    );
    const huge = new File([new Uint8Array(MAX_UPLOAD + 1).fill(65)], "huge.txt");
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: a.accessToken,
      body: generateForm({
        name: "Rejections",
        sop,
        files: [png, huge, new File([fixture("price-list.csv")], "price-list.csv")],
        providerId: "local",
        model: "harbor",
      }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await res.json();
    expect(body.rejected.map((r: { name: string; status: number }) => [r.name, r.status])).toEqual([
      ["logo.png", 415],
      ["huge.txt", 413],
    ]);
    const job = await waitForJob(body.jobId);
    expect(job.status).toBe("succeeded");
  });

  it("refuses a private website address", async () => {
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: a.accessToken,
      body: generateForm({
        name: "X",
        sop,
        websiteUrl: "http://10.1.2.3/",
        providerId: "local",
        model: "harbor",
      }),
    });
    const problem = await expectProblem(res, 400);
    expect(problem.detail).toContain("10.1.2.3");
  });

  it("explains what to configure when there is no model to build with", async () => {
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: a.accessToken,
      body: generateForm({ name: "X", sop }),
    });
    const problem = await expectProblem(res, 422);
    expect(problem.detail).toContain("ORATIO_MODELS_DIR");
  });

  it("builds with the organization's first provider and its default model when none is named", async () => {
    const b = await signUp(t);
    const provider = await t.request("POST", "/api/v1/providers", {
      token: b.accessToken,
      json: { name: "Main", type: "openai", apiKey: "sk-test", options: { defaultModel: "harbor" } },
    });
    expect(provider.status, await provider.clone().text()).toBe(201);
    const { id } = await provider.json();
    const res = await t.request("POST", "/api/v1/agents/generate", {
      token: b.accessToken,
      body: generateForm({ name: "Defaults", sop }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = await res.json();
    expect(body.model).toEqual({ providerId: id, model: "harbor" });
    const job = await (
      await t.request("GET", `/api/v1/jobs/${body.jobId}/events`, {
        token: b.accessToken,
        headers: { accept: "text/event-stream" },
      })
    ).text();
    expect(job).toContain('"status":"succeeded"');
    const agents = (await (await t.request("GET", "/api/v1/agents", { token: b.accessToken })).json()).data;
    expect(agents.map((x: { config: { model: object } }) => x.config.model)).toEqual([
      { providerId: id, model: "harbor" },
    ]);
  });

  it("validates tests and refuses a run without tests", async () => {
    const agent = await t.request("POST", "/api/v1/agents?publish=false", {
      token: a.accessToken,
      json: { name: "Empty", instructions: "Help callers.", model: { providerId: "local", model: "harbor" } },
    });
    const { id } = await agent.json();
    await expectProblem(
      await t.request("POST", `/api/v1/agents/${id}/tests`, {
        token: a.accessToken,
        json: { name: "nothing expected", turns: ["hi"], expectations: {} },
      }),
      400,
    );
    await expectProblem(
      await t.request("POST", `/api/v1/agents/${id}/tests/run`, { token: a.accessToken }),
      409,
    );
  });
});
