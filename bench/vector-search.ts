/**
 * Vector ranking latency: the exact scan behind hybrid knowledge search, by pgvector and by
 * the plain SQL dot product, on PGlite and on PostgreSQL when reachable. Seeds one base with
 * random unit vectors (the scan's cost depends on count and length, not on content), then
 * times `vectorSearch` for the top 20, as hybrid search asks.
 *
 *   npx tsx bench/vector-search.ts [--sizes 1000,10000] [--dims 384]
 * Prints a table and writes bench/results/vector-search.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chunks, type DatabaseHandle, documents, knowledgeBases, OrgScope, organizations } from "@oratio/db";
import { openTestDatabase } from "@oratio/db/testing";
import {
  storeEmbeddings,
  type VectorMethod,
  vectorMethod,
  vectorSearch,
} from "../packages/server/src/knowledge/vector-search.ts";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1000,10000" }, dims: { type: "string", default: "384" } },
});
const SIZES = values.sizes!.split(",").map(Number);
const DIMS = Number(values.dims);
const QUERIES = 20;
const REF = "bench|random";
const PG_URL = process.env.ORATIO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function seed(handle: DatabaseHandle, size: number) {
  const db = handle.db;
  const [org] = await db
    .insert(organizations)
    .values({ name: `vector-bench-${size}` })
    .returning();
  const scope = new OrgScope(db, org!.id);
  const [kb] = await db.insert(knowledgeBases).values({ orgId: org!.id, name: "bench" }).returning();
  const [doc] = await db
    .insert(documents)
    .values({ orgId: org!.id, knowledgeBaseId: kb!.id, name: "bench", type: "text", status: "ready" })
    .returning();
  const next = rng(size);
  for (let start = 0; start < size; start += 500) {
    const rows = await db
      .insert(chunks)
      .values(
        Array.from({ length: Math.min(500, size - start) }, (_, i) => ({
          orgId: org!.id,
          knowledgeBaseId: kb!.id,
          documentId: doc!.id,
          position: start + i,
          text: `passage ${start + i}`,
          title: "bench",
          charStart: 0,
          charEnd: 10,
          tokenCount: 2,
        })),
      )
      .returning({ id: chunks.id });
    await storeEmbeddings(
      scope,
      REF,
      rows.map((r) => ({ chunkId: r.id, vector: Array.from({ length: DIMS }, next) })),
    );
  }
  return { scope, kbId: kb!.id, next };
}

interface Row {
  database: string;
  method: VectorMethod;
  chunks: number;
  dims: number;
  p50: number;
  p95: number;
  /** The first search, which for `memory` loads the vectors. */
  firstMs: number;
}

async function measure(label: string, open: () => Promise<DatabaseHandle>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES) {
    const handle = await open();
    try {
      const { scope, kbId, next } = await seed(handle, size);
      const methods: VectorMethod[] =
        (await vectorMethod(handle.db)) === "pgvector" ? ["pgvector", "memory"] : ["memory"];
      // The SQL scan takes seconds per query beyond ten thousand vectors.
      if (size <= 10_000) methods.push("sql");
      for (const method of methods) {
        const queries = Array.from({ length: QUERIES }, () => Array.from({ length: DIMS }, next));
        // Warm-up; for `memory` it also loads the cache, whose one-time cost is reported apart.
        const loadStarted = performance.now();
        await vectorSearch(scope, [kbId], REF, queries[0]!, 20, { method });
        const firstMs = performance.now() - loadStarted;
        const times: number[] = [];
        for (const q of queries) {
          const started = performance.now();
          await vectorSearch(scope, [kbId], REF, q, 20, { method });
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        rows.push({
          database: label,
          method,
          chunks: size,
          dims: DIMS,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          firstMs,
        });
        console.log(`${label} ${method} ${size}: p50 ${percentile(times, 50).toFixed(1)} ms`);
      }
    } finally {
      await handle.close();
    }
  }
  return rows;
}

const results: Row[] = [];
delete process.env.ORATIO_TEST_DATABASE_URL;
results.push(...(await measure("PGlite", openTestDatabase)));
try {
  process.env.ORATIO_TEST_DATABASE_URL = PG_URL;
  results.push(...(await measure("PostgreSQL", openTestDatabase)));
} catch (error) {
  console.log(`PostgreSQL skipped: ${(error as Error).message}`);
} finally {
  delete process.env.ORATIO_TEST_DATABASE_URL;
}
console.table(
  results.map((r) => ({ ...r, p50: r.p50.toFixed(1), p95: r.p95.toFixed(1), firstMs: r.firstMs.toFixed(0) })),
);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "vector-search.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${path.join(out, "vector-search.json")}`);
