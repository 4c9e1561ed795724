/**
 * Knowledge benchmarks:
 *  - search latency (p50/p95) over 10k and 100k chunks, on PGlite and (when reachable) PostgreSQL;
 *  - ingestion throughput: website pages per second and document megabytes per second,
 *    through the real API and jobs.
 *
 *   npx tsx bench/knowledge-search.ts [--sizes 10000,100000]
 * Prints a table and writes bench/results/knowledge-search.json.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { chunks, documents, knowledgeBases, OrgScope, organizations } from "@oratio/db";
import { BUSINESS_FIXTURE_DIR, startFixtureServer } from "@oratio/knowledge/testing";
import { searchKnowledge } from "../packages/server/src/knowledge/search.ts";
import { createTestApp, type TestApp } from "../packages/server/src/testing.ts";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "10000,100000" } } });
const SIZES = values.sizes!.split(",").map(Number);
const PG_URL = process.env.ORATIO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const QUERY_ROUNDS = 4;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Sentences of the fixture business, to build realistic synthetic passages from. */
function corpusSentences(): string[] {
  const texts: string[] = [readFileSync(path.join(BUSINESS_FIXTURE_DIR, "sop.md"), "utf8")];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".html")) texts.push(readFileSync(file, "utf8").replace(/<[^>]+>/g, " "));
    }
  };
  walk(path.join(BUSINESS_FIXTURE_DIR, "site"));
  return texts
    .join(" ")
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 30 && s.length < 400);
}

/** A deterministic pseudo-random generator, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seed(t: TestApp, size: number) {
  const db = t.database.db;
  const [org] = await db
    .insert(organizations)
    .values({ name: `bench-${size}` })
    .returning();
  const scope = new OrgScope(db, org!.id);
  const [kb] = await db.insert(knowledgeBases).values({ orgId: org!.id, name: "bench" }).returning();
  const sentences = corpusSentences();
  const random = rng(size);
  const docs = await db
    .insert(documents)
    .values(
      Array.from({ length: 100 }, (_, i) => ({
        orgId: org!.id,
        knowledgeBaseId: kb!.id,
        name: `doc-${i}`,
        type: "markdown",
        status: "ready" as const,
      })),
    )
    .returning({ id: documents.id });
  const started = performance.now();
  const batch = 500;
  for (let i = 0; i < size; i += batch) {
    await db.insert(chunks).values(
      Array.from({ length: Math.min(batch, size - i) }, (_, j) => {
        const n = i + j;
        const text = Array.from({ length: 6 }, () => sentences[Math.floor(random() * sentences.length)]).join(
          " ",
        );
        return {
          orgId: org!.id,
          knowledgeBaseId: kb!.id,
          documentId: docs[n % docs.length]!.id,
          position: n,
          text: `${text} Reference ${n}.`,
          title: `Passage ${n}`,
          headingText: "Bench",
          headingPath: ["Bench"],
          charStart: 0,
          charEnd: text.length,
          tokenCount: Math.ceil(text.length / 4),
        };
      }),
    );
  }
  const insertMs = performance.now() - started;
  return { scope, kbId: kb!.id, insertMs };
}

async function measureSearch(label: string, env: Record<string, string>, size: number) {
  if (env.ORATIO_TEST_DATABASE_URL) process.env.ORATIO_TEST_DATABASE_URL = env.ORATIO_TEST_DATABASE_URL;
  else delete process.env.ORATIO_TEST_DATABASE_URL;
  const t = await createTestApp();
  try {
    const { scope, kbId, insertMs } = await seed(t, size);
    const { questions } = JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")) as {
      questions: { question: string }[];
    };
    for (const q of questions.slice(0, 5)) await searchKnowledge(scope, [kbId], q.question, 5); // warm-up
    const times: number[] = [];
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      for (const q of questions) {
        const started = performance.now();
        await searchKnowledge(scope, [kbId], q.question, 5);
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    return {
      database: label,
      chunks: size,
      queries: times.length,
      p50Ms: +percentile(times, 50).toFixed(2),
      p95Ms: +percentile(times, 95).toFixed(2),
      insertChunksPerS: Math.round(size / (insertMs / 1000)),
    };
  } finally {
    await t.close();
  }
}

async function measureIngestion() {
  delete process.env.ORATIO_TEST_DATABASE_URL;
  const site = await startFixtureServer();
  const t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  try {
    const signup = await (
      await t.request("POST", "/api/v1/auth/signup", {
        json: { email: "bench@example.com", password: "benchmark-pw", name: "B", organizationName: "B" },
      })
    ).json();
    const token = signup.accessToken as string;
    const kb = await (
      await t.request("POST", "/api/v1/knowledge-bases", { token, json: { name: "bench" } })
    ).json();
    const waitJob = async (id: string) => {
      const res = await t.request("GET", `/api/v1/jobs/${id}/events`, {
        token,
        headers: { accept: "text/event-stream" },
      });
      const last = (await res.text()).trim().split("\n\n").at(-1)!;
      return JSON.parse(
        last
          .split("\n")
          .find((l) => l.startsWith("data:"))!
          .slice(5),
      ).data;
    };

    let started = performance.now();
    const crawl = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
        token,
        json: { type: "website", url: `${site.origin}/`, maxPages: 100 },
      })
    ).json();
    const crawlJob = await waitJob(crawl.jobId);
    const crawlS = (performance.now() - started) / 1000;

    const files = ["handbook.pdf", "policies.docx", "price-list.csv"];
    const copies = 5;
    let bytes = 0;
    const form = new FormData();
    for (let i = 0; i < copies; i++) {
      for (const name of files) {
        const data = readFileSync(path.join(BUSINESS_FIXTURE_DIR, name));
        bytes += data.byteLength;
        form.append("files", new File([data], `${i}-${name}`));
      }
    }
    started = performance.now();
    const upload = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, { token, body: form })
    ).json();
    await waitJob(upload.jobId);
    const uploadS = (performance.now() - started) / 1000;
    return {
      pages: crawlJob.progress.indexed,
      pagesPerS: +(crawlJob.progress.indexed / crawlS).toFixed(1),
      documents: files.length * copies,
      documentMB: +(bytes / 1e6).toFixed(2),
      documentMBPerS: +(bytes / 1e6 / uploadS).toFixed(2),
      documentsPerS: +((files.length * copies) / uploadS).toFixed(1),
    };
  } finally {
    await t.close();
    await site.close();
  }
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 1500 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const search = [];
const postgres = await reachable(PG_URL);
for (const size of SIZES) {
  search.push(await measureSearch("PGlite", {}, size));
  if (postgres) search.push(await measureSearch("PostgreSQL", { ORATIO_TEST_DATABASE_URL: PG_URL }, size));
}
if (!postgres) console.log(`PostgreSQL skipped: nothing listening at ${new URL(PG_URL).host}`);
console.log("\nSearch latency (57 customer questions × 4 rounds, top 5)");
console.table(search);
const ingestion = await measureIngestion();
console.log("\nIngestion throughput (PGlite, through the API and jobs)");
console.table([ingestion]);

const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "knowledge-search.json"), `${JSON.stringify({ search, ingestion }, null, 2)}\n`);
console.log(`wrote ${path.join(out, "knowledge-search.json")}`);
