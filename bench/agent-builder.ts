/**
 * Agent builder benchmark: the whole pipeline (ingest, crawl, profile, SOP, draft, review,
 * refine, tests) on the fixture business — its SOP, handbook, policies and price list plus
 * a 50-page local site (the fixture pages and generated guide pages, all in the sitemap) —
 * through the real API and job queue. The model answers every builder prompt instantly
 * with valid JSON derived from the prompt (InstantBuilderModel, the real LanguageModel
 * contract), so the figures are the platform's own time.
 *
 *   npx tsx bench/agent-builder.ts
 * Prints a table and writes bench/results/agent-builder.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BUSINESS_FIXTURE_DIR, startFixtureServer } from "@oratio/knowledge/testing";
import { InstantBuilderModel } from "../packages/server/src/builder/testing/instant-builder-model.ts";
import { createTestApp } from "../packages/server/src/testing.ts";

const SITE_PAGES = 50;
const GOAL_MS = 60_000;

const fixture = (name: string) => readFileSync(path.join(BUSINESS_FIXTURE_DIR, name));

const TOPICS = [
  "brushing technique",
  "flossing",
  "children's first visit",
  "gum disease",
  "tooth sensitivity",
  "whitening safety",
  "night guards",
  "dental x-rays",
  "sealants",
  "fluoride",
  "dry mouth",
  "bad breath",
  "wisdom teeth",
  "root canals",
  "crowns and bridges",
  "implant care",
  "braces and aligners",
  "sports mouthguards",
];

/** A guide page of the kind a practice's website carries, linked from the sitemap. */
function guidePage(n: number): string {
  const topic = TOPICS[n % TOPICS.length]!;
  const paragraphs = Array.from(
    { length: 6 },
    (_, i) =>
      `<p>Part ${i + 1} of our guide to ${topic}: our hygienists explain what to expect, how often to ` +
      `come in, and which signs mean you should call the office. Patients of Harborview Family Dental ` +
      `can ask about ${topic} at their next cleaning at the Downtown or Northside office.</p>`,
  ).join("\n");
  return `<!doctype html><html><head><title>Guide ${n}: ${topic}</title></head><body><main><h1>Guide ${n}: ${topic}</h1>${paragraphs}</main></body></html>`;
}

function sitemapLocs(origin: string): string[] {
  const xml = fixture("site/sitemap.xml").toString("utf8");
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) =>
    m[1]!.replace("http://harborviewdental.example", origin),
  );
}

async function main() {
  // The fixture sitemap lists the public pages; guide pages make up the rest of the 50.
  const extra = new Map<string, string>();
  const fixturePages = sitemapLocs("").length;
  for (let n = 1; n <= SITE_PAGES - fixturePages; n++) extra.set(`/guides/guide-${n}.html`, guidePage(n));
  const siteWithGuides = await startFixtureServer({
    routes: {
      "/sitemap.xml": (_req, res, o) => {
        const locs = [...sitemapLocs(o), ...[...extra.keys()].map((p) => `${o}${p}`)];
        res.writeHead(200, { "content-type": "application/xml; charset=utf-8" });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${locs
            .map((l) => `  <url><loc>${l}</loc></url>`)
            .join("\n")}\n</urlset>\n`,
        );
      },
      ...Object.fromEntries(
        [...extra].map(([p, html]) => [
          p,
          (_req: unknown, res: import("node:http").ServerResponse) => {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            res.end(html);
          },
        ]),
      ),
    },
  });

  const model = new InstantBuilderModel("instant-builder");
  const t = await createTestApp(
    { ORATIO_FETCH_ALLOW: "127.0.0.1" },
    { models: { resolve: async () => () => model } },
  );
  try {
    const signup = await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "bench@example.com",
        password: "bench-password-1",
        name: "Bench",
        organizationName: "Bench",
      },
    });
    const { accessToken } = await signup.json();
    const form = new FormData();
    form.append("name", "Harborview Family Dental");
    form.append("sop", new File([fixture("sop.md")], "sop.md"));
    for (const name of ["handbook.pdf", "policies.docx", "price-list.csv"])
      form.append("files", new File([fixture(name)], name));
    form.append("websiteUrl", `${siteWithGuides.origin}/`);
    form.append("providerId", "local");
    form.append("model", "instant-builder");

    const started = performance.now();
    const res = await t.request("POST", "/api/v1/agents/generate", { token: accessToken, body: form });
    if (res.status !== 202) throw new Error(`generate → ${res.status}: ${await res.text()}`);
    const { jobId, reportId } = await res.json();
    const events = await t.request("GET", `/api/v1/jobs/${jobId}/events`, {
      token: accessToken,
      headers: { accept: "text/event-stream" },
    });
    await events.text(); // the stream ends when the job does
    const wallMs = Math.round(performance.now() - started);
    const job = await (await t.request("GET", `/api/v1/jobs/${jobId}`, { token: accessToken })).json();
    if (job.status !== "succeeded") throw new Error(`The generation ${job.status}: ${job.error}`);
    const report = (
      await (
        await t.request("GET", `/api/v1/agents/generation-reports/${reportId}`, { token: accessToken })
      ).json()
    ).report;

    const stages = report.stages as {
      name: string;
      startMs: number;
      ms: number;
      detail?: Record<string, unknown>;
    }[];
    const calls = report.modelCalls as {
      stage: string;
      inputChars: number;
      outputChars: number;
      inputTokens: number;
      outputTokens: number;
      ms: number;
    }[];
    const byStage = (name: string) => calls.filter((c) => c.stage === name);
    const rows = stages.map((s) => {
      const c = byStage(s.name);
      return {
        stage: s.name,
        startMs: s.startMs,
        ms: s.ms,
        modelCalls: c.length,
        inputChars: c.reduce((n, x) => n + x.inputChars, 0),
        outputChars: c.reduce((n, x) => n + x.outputChars, 0),
        inputTokens: c.reduce((n, x) => n + x.inputTokens, 0),
        outputTokens: c.reduce((n, x) => n + x.outputTokens, 0),
      };
    });
    const totals = report.modelCallTotals as {
      count: number;
      inputChars: number;
      outputChars: number;
      inputTokens: number;
      outputTokens: number;
      ms: number;
    };
    const crawl = stages.find((s) => s.name === "crawl site")?.detail ?? {};
    const totalExcludingModel = report.totalMs - totals.ms;

    console.log(
      `Agent builder — fixture business, ${crawl.fetched ?? "?"} site pages fetched, ${crawl.indexed ?? "?"} indexed, 4 documents (SOP included)\n`,
    );
    console.log(
      [
        "stage".padEnd(26),
        "start ms".padStart(9),
        "ms".padStart(8),
        "calls".padStart(6),
        "in chars".padStart(9),
        "out chars".padStart(10),
        "in tok".padStart(7),
        "out tok".padStart(8),
      ].join(" "),
    );
    for (const r of rows)
      console.log(
        [
          r.stage.padEnd(26),
          String(r.startMs).padStart(9),
          String(r.ms).padStart(8),
          String(r.modelCalls).padStart(6),
          String(r.inputChars).padStart(9),
          String(r.outputChars).padStart(10),
          String(r.inputTokens).padStart(7),
          String(r.outputTokens).padStart(8),
        ].join(" "),
      );
    console.log(
      `\ntotal ${report.totalMs} ms in the job (${wallMs} ms request → job done); model time ${totals.ms} ms; ` +
        `excluding model time ${totalExcludingModel} ms (goal ≤ ${GOAL_MS} ms: ${totalExcludingModel <= GOAL_MS ? "met" : "MISSED"})`,
    );
    console.log(
      `model calls: ${totals.count}, ${totals.inputChars} chars in / ${totals.outputChars} out, ~${totals.inputTokens} tokens in / ~${totals.outputTokens} out`,
    );

    const out = path.join(import.meta.dirname, "results", "agent-builder.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          sitePages: { served: fixturePages + extra.size, fetched: crawl.fetched, indexed: crawl.indexed },
          wallMs,
          totalMs: report.totalMs,
          modelMs: totals.ms,
          totalExcludingModelMs: totalExcludingModel,
          goalMs: GOAL_MS,
          stages: rows,
          modelCalls: totals,
          agents: (report.agents as { role: string }[]).map((a) => a.role),
          tests: report.tests,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await t.close();
    await siteWithGuides.close();
  }
}

await main();
