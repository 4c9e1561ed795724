/**
 * Retrieval evaluation on the fixture business: crawls its site from a local server,
 * uploads its PDF, DOCX and CSV, then asks the customer-worded questions of
 * fixtures/business/eval.json and scores where the expected source ranks.
 *
 *   npx tsx bench/retrieval-eval.ts        prints recall@1, recall@5 and MRR; writes bench/results/retrieval-eval.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { OrgScope } from "@oratio/db";
import { BUSINESS_FIXTURE_DIR, startFixtureServer } from "@oratio/knowledge/testing";
import { searchKnowledge } from "../packages/server/src/knowledge/search.ts";
import { createTestApp } from "../packages/server/src/testing.ts";

interface EvalQuestion {
  id: string;
  question: string;
  expected: { source: string; section?: string }[];
}

export interface RetrievalEvaluation {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  misses: { id: string; question: string; expected: string[]; got: string[] }[];
}

const DOCUMENTS = ["handbook.pdf", "policies.docx", "price-list.csv"];

/** Where a result came from, in the vocabulary of eval.json: a site path or a file name. */
function sourceOf(
  citation: { url: string | null; title: string },
  names: Map<string, string>,
  documentId: string,
) {
  if (citation.url) {
    const pathname = new URL(citation.url).pathname;
    return pathname.endsWith("/index.html") ? pathname.slice(0, -"index.html".length) : pathname;
  }
  return names.get(documentId) ?? citation.title;
}

function matches(got: string, expected: string): boolean {
  return got === expected || path.posix.basename(got) === expected;
}

export async function evaluateRetrieval(): Promise<RetrievalEvaluation> {
  const site = await startFixtureServer();
  const t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  try {
    const signup = await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "eval@example.com",
        password: "evaluation-pw",
        name: "Eval",
        organizationName: "Harborview",
      },
    });
    const { accessToken, organization } = await signup.json();
    const token = accessToken as string;
    const kb = await (
      await t.request("POST", "/api/v1/knowledge-bases", { token, json: { name: "Harborview" } })
    ).json();

    const form = new FormData();
    for (const name of DOCUMENTS) {
      form.append("files", new File([readFileSync(path.join(BUSINESS_FIXTURE_DIR, name))], name));
    }
    const upload = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, { token, body: form })
    ).json();
    const crawl = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
        token,
        json: { type: "website", url: `${site.origin}/`, maxPages: 100 },
      })
    ).json();
    for (const jobId of [upload.jobId, crawl.jobId]) {
      const res = await t.request("GET", `/api/v1/jobs/${jobId}/events`, {
        token,
        headers: { accept: "text/event-stream" },
      });
      await res.text();
    }
    const names = new Map<string, string>(
      upload.documents.map((d: { id: string; name: string }) => [d.id, d.name]),
    );

    const { questions } = JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")) as {
      questions: EvalQuestion[];
    };
    const scope = new OrgScope(t.database.db, organization.id);
    let hits1 = 0;
    let hits5 = 0;
    let reciprocal = 0;
    const misses: RetrievalEvaluation["misses"] = [];
    for (const q of questions) {
      const results = await searchKnowledge(scope, [kb.id], q.question, 5);
      const got = results.map((r) => sourceOf(r.citation, names, r.citation.documentId));
      const expected = q.expected.map((e) => e.source);
      const rank = got.findIndex((g) => expected.some((e) => matches(g, e)));
      if (rank === 0) hits1 += 1;
      if (rank >= 0) {
        hits5 += 1;
        reciprocal += 1 / (rank + 1);
      } else {
        misses.push({ id: q.id, question: q.question, expected, got });
      }
    }
    const n = questions.length;
    return { questions: n, recallAt1: hits1 / n, recallAt5: hits5 / n, mrr: reciprocal / n, misses };
  } finally {
    await t.close();
    await site.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await evaluateRetrieval();
  console.table({
    "full-text search": {
      questions: result.questions,
      "recall@1": result.recallAt1.toFixed(3),
      "recall@5": result.recallAt5.toFixed(3),
      MRR: result.mrr.toFixed(3),
    },
  });
  for (const m of result.misses)
    console.log(`miss ${m.id}: "${m.question}" expected ${m.expected.join(" or ")}, got ${m.got.join(", ")}`);
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "retrieval-eval.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.join(out, "retrieval-eval.json")}`);
}
