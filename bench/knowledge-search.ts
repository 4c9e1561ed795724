/**
 * Knowledge benchmarks:
 *  - search latency (p50/p95) over 10k and 100k chunks, on PGlite and (when reachable)
 *    PostgreSQL, and recall@5 of the fixture business's questions at that scale;
 *  - ingestion throughput: website pages per second and document megabytes per second,
 *    through the real API and jobs.
 *
 *   npx tsx bench/knowledge-search.ts [--sizes 10000,100000] [--databases pglite,postgres]
 * Prints a table and writes bench/results/knowledge-search.json.
 *
 * The index of each run: synthetic chunks (`knowledge-corpus.ts`: a large business's knowledge
 * base with real English word frequencies) written straight to the database, then the fixture
 * business itself (site crawl, PDF, DOCX, CSV) through the API and jobs, last, so its
 * passages sit behind the synthetic ones in the table rather than first. No ANALYZE is run:
 * PGlite never runs one by itself, and PostgreSQL's autovacuum runs when it runs. Besides
 * wall-clock percentiles, CPU per search (this process, which holds PGlite, plus the
 * PostgreSQL backends of the bench database; `lib/cpu-time.ts`).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chunks, documents, OrgScope } from "@oratio/db";
import { BUSINESS_FIXTURE_DIR, startFixtureServer } from "@oratio/knowledge/testing";
import { eq, sql } from "drizzle-orm";
import { searchKnowledge } from "../packages/server/src/knowledge/search.ts";
import { createTestApp, type TestApp } from "../packages/server/src/testing.ts";
import { rng, type SyntheticChunk, syntheticChunks } from "./knowledge-corpus.ts";
import { cpuSince, sampleCpu } from "./lib/cpu-time.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000" },
    databases: { type: "string", default: "pglite,postgres" },
  },
});
const SIZES = values.sizes!.split(",").map(Number);
const DATABASES = values.databases!.split(",");
const PG_URL = process.env.ORATIO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const QUERY_ROUNDS = 3;
const FIXTURE_DOCUMENTS = ["handbook.pdf", "policies.docx", "price-list.csv"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface EvalQuestion {
  id: string;
  question: string;
  expected: { source: string }[];
}

function evalQuestions(): EvalQuestion[] {
  return JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")).questions;
}

/**
 * Questions about the synthetic documents, worded like customers: a document's title and
 * heading words inside everyday phrasing, so common words ("get", "open", "much") come along.
 */
const TEMPLATES = [
  (a: string, b: string) => `how much does ${a} ${b} cost`,
  (a: string, b: string) => `do you have ${a} or ${b}`,
  (a: string) => `can i get help with my ${a} on the weekend`,
  (a: string, b: string) => `where do i find the ${a} ${b} stuff`,
  (a: string) => `is the ${a} open today`,
  (a: string, b: string) => `what should i know about ${a} before ${b}`,
  (a: string) => `my ${a} is not working what do i do`,
  (a: string, b: string) => `can i book ${a} ${b} online`,
];

function syntheticQuestions(samples: SyntheticChunk[], count: number): string[] {
  const random = rng(count);
  return Array.from({ length: count }, (_, i) => {
    const chunk = samples[Math.floor(random() * samples.length)]!;
    const words = `${chunk.title} ${chunk.headingPath.join(" ")}`.toLowerCase().split(/\s+/);
    const pick = () => words[Math.floor(random() * words.length)]!;
    return TEMPLATES[i % TEMPLATES.length]!(pick(), pick());
  });
}

/** Signs up, creates a knowledge base and returns what the rest of the run needs. */
async function setUp(t: TestApp, name: string) {
  const signup = await (
    await t.request("POST", "/api/v1/auth/signup", {
      json: { email: `${name}@example.com`, password: "benchmark-pw", name, organizationName: name },
    })
  ).json();
  const token = signup.accessToken as string;
  const kb = await (await t.request("POST", "/api/v1/knowledge-bases", { token, json: { name } })).json();
  return { token, orgId: signup.organization.id as string, kbId: kb.id as string };
}

/** The SSE stream ends when the job does; its last event is the final state. */
async function waitJob(t: TestApp, token: string, id: string) {
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
}

/** Crawls the fixture site and uploads its documents (`copies` times) into the base. */
async function ingestFixture(t: TestApp, token: string, kbId: string, copies = 1) {
  const site = await startFixtureServer();
  try {
    let started = performance.now();
    const crawl = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kbId}/sources`, {
        token,
        json: { type: "website", url: `${site.origin}/`, maxPages: 100 },
      })
    ).json();
    const crawlJob = await waitJob(t, token, crawl.jobId);
    const crawlS = (performance.now() - started) / 1000;
    let bytes = 0;
    const form = new FormData();
    for (let i = 0; i < copies; i++) {
      for (const name of FIXTURE_DOCUMENTS) {
        const data = readFileSync(path.join(BUSINESS_FIXTURE_DIR, name));
        bytes += data.byteLength;
        form.append("files", new File([data], copies > 1 ? `${i}-${name}` : name));
      }
    }
    started = performance.now();
    const upload = await (
      await t.request("POST", `/api/v1/knowledge-bases/${kbId}/documents`, { token, body: form })
    ).json();
    await waitJob(t, token, upload.jobId);
    const uploadS = (performance.now() - started) / 1000;
    return { crawlJob, crawlS, bytes, uploadS, documents: FIXTURE_DOCUMENTS.length * copies };
  } finally {
    await site.close();
  }
}

/** Writes `size` synthetic chunks into the base, 500 per statement; returns a sample of them. */
async function seedSynthetic(t: TestApp, orgId: string, kbId: string, size: number) {
  const db = t.database.db;
  const documentIds = new Map<number, string>();
  const samples: SyntheticChunk[] = [];
  let batch: SyntheticChunk[] = [];
  let insertMs = 0;
  const flush = async () => {
    const started = performance.now();
    const missing = [...new Set(batch.map((c) => c.document))].filter((d) => !documentIds.has(d));
    if (missing.length) {
      const rows = await db
        .insert(documents)
        .values(
          missing.map((d) => ({
            orgId,
            knowledgeBaseId: kbId,
            name: `synthetic-${d}.md`,
            type: "markdown",
            status: "ready" as const,
          })),
        )
        .returning({ id: documents.id });
      for (const [i, d] of missing.entries()) documentIds.set(d, rows[i]!.id);
    }
    await db.insert(chunks).values(
      batch.map((c) => ({
        orgId,
        knowledgeBaseId: kbId,
        documentId: documentIds.get(c.document)!,
        position: c.position,
        text: c.text,
        title: c.title,
        headingPath: c.headingPath,
        headingText: c.headingPath.join(" › "),
        charStart: 0,
        charEnd: c.text.length,
        tokenCount: Math.ceil(c.text.length / 4),
      })),
    );
    insertMs += performance.now() - started;
    batch = [];
  };
  let n = 0;
  for (const chunk of syntheticChunks(size, size)) {
    if (n++ % 997 === 0) samples.push(chunk);
    batch.push(chunk);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  return { samples, insertMs };
}

/** Where a result came from, in eval.json's terms: a site path or a file name. */
function sourceOf(url: string | null, name: string | undefined): string {
  if (url) {
    const pathname = new URL(url).pathname;
    return pathname.endsWith("/index.html") ? pathname.slice(0, -"index.html".length) : pathname;
  }
  return name ?? "";
}

async function measureSearch(label: string, env: Record<string, string>, size: number) {
  if (env.ORATIO_TEST_DATABASE_URL) process.env.ORATIO_TEST_DATABASE_URL = env.ORATIO_TEST_DATABASE_URL;
  else delete process.env.ORATIO_TEST_DATABASE_URL;
  const t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  try {
    const { token, orgId, kbId } = await setUp(t, `bench${size}`);
    const { samples, insertMs } = await seedSynthetic(t, orgId, kbId, size);
    await ingestFixture(t, token, kbId);
    const scope = new OrgScope(t.database.db, orgId);
    const names = new Map(
      (
        await t.database.db
          .select({ id: documents.id, name: documents.name })
          .from(documents)
          .where(eq(documents.knowledgeBaseId, kbId))
      ).map((d) => [d.id, d.name]),
    );

    const questions = evalQuestions();
    let found = 0;
    for (const q of questions) {
      const results = await searchKnowledge(scope, [kbId], q.question, 5);
      const got = results.map((r) => sourceOf(r.citation.url, names.get(r.citation.documentId)));
      const expected = q.expected.map((e) => e.source);
      if (got.some((g) => expected.some((e) => g === e || path.posix.basename(g) === e))) found++;
    }

    const queries = [...questions.map((q) => q.question), ...syntheticQuestions(samples, 43)];
    await autovacuumSettled(t);
    // One untimed pass first: the timed rounds measure searches in a warmed-up session
    // (prepared statements and PL/pgSQL plans made), as a running server's are.
    for (const query of queries) await searchKnowledge(scope, [kbId], query, 5);
    const load = os.loadavg()[0]!;
    // The throwaway database's name, from the handle's label `PostgreSQL (postgres://…/name)`.
    const database = /\/([\w]+)\)$/.exec(t.database.label)?.[1];
    const cpuStart = sampleCpu(database);
    const times: number[] = [];
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      for (const query of queries) {
        const started = performance.now();
        await searchKnowledge(scope, [kbId], query, 5);
        times.push(performance.now() - started);
      }
    }
    const cpu = cpuSince(cpuStart, database);
    times.sort((a, b) => a - b);
    return {
      database: label,
      chunks: await chunkCount(t, kbId),
      queries: times.length,
      p50Ms: +percentile(times, 50).toFixed(2),
      p95Ms: +percentile(times, 95).toFixed(2),
      maxMs: +times.at(-1)!.toFixed(2),
      // This process (and PGlite, which runs in it) plus the PostgreSQL backends serving the
      // bench database: steadier than wall time on a shared machine.
      cpuMsPerSearch: +((cpu.processMs + cpu.postgresMs) / times.length).toFixed(2),
      dbCpuMsPerSearch: +(cpu.postgresMs / times.length).toFixed(2),
      recallAt5: +(found / questions.length).toFixed(3),
      insertChunksPerS: Math.round(size / (insertMs / 1000)),
      load1m: +((load + os.loadavg()[0]!) / 2).toFixed(1),
    };
  } finally {
    await t.close();
  }
}

/**
 * On PostgreSQL, waits (up to 3 min) until no autovacuum worker is busy with the bench
 * database: after the bulk insert one vacuums and analyzes the chunks, which on 2 cores
 * would otherwise be timed along with the searches (and its process ending mid-run would
 * make the CPU sample of the database's processes meaningless). No-op on PGlite.
 */
async function autovacuumSettled(t: TestApp): Promise<void> {
  if (t.database.driver !== "postgres") return;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const result = (await t.database.db.execute(sql`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and backend_type = 'autovacuum worker'`)) as unknown as {
      rows: { n: number }[];
    };
    if (result.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function chunkCount(t: TestApp, kbId: string): Promise<number> {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(chunks)
    .where(eq(chunks.knowledgeBaseId, kbId));
  return row!.n;
}

async function measureIngestion() {
  delete process.env.ORATIO_TEST_DATABASE_URL;
  const t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  try {
    const { token, kbId } = await setUp(t, "ingestion");
    const run = await ingestFixture(t, token, kbId, 5);
    return {
      pages: run.crawlJob.progress.indexed,
      pagesPerS: +(run.crawlJob.progress.indexed / run.crawlS).toFixed(1),
      documents: run.documents,
      documentMB: +(run.bytes / 1e6).toFixed(2),
      documentMBPerS: +(run.bytes / 1e6 / run.uploadS).toFixed(2),
      documentsPerS: +(run.documents / run.uploadS).toFixed(1),
    };
  } finally {
    await t.close();
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
const postgres = DATABASES.includes("postgres") && (await reachable(PG_URL));
for (const size of SIZES) {
  if (DATABASES.includes("pglite")) search.push(await measureSearch("PGlite", {}, size));
  if (postgres) search.push(await measureSearch("PostgreSQL", { ORATIO_TEST_DATABASE_URL: PG_URL }, size));
}
if (DATABASES.includes("postgres") && !postgres) {
  console.log(`PostgreSQL skipped: nothing listening at ${new URL(PG_URL).host}`);
}
console.log(
  `\nSearch latency (57 fixture + 43 synthetic customer questions × ${QUERY_ROUNDS} rounds, top 5; recall@5 of the fixture questions)`,
);
console.table(search);
const ingestion = await measureIngestion();
console.log("\nIngestion throughput (PGlite, through the API and jobs)");
console.table([ingestion]);

const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "knowledge-search.json"), `${JSON.stringify({ search, ingestion }, null, 2)}\n`);
console.log(`wrote ${path.join(out, "knowledge-search.json")}`);
