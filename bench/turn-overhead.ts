/**
 * Platform overhead per text turn: the full server path of
 * `POST /api/v1/sessions/{id}/messages` (authentication, session lookup, agent directory,
 * run loop, persistence of the transcript and state, SSE framing) with a language model
 * that answers instantly, so everything measured is Oratio's own cost.
 *
 *   npx tsx bench/turn-overhead.ts     prints a table; writes bench/results/turn-overhead.json
 *
 * Scenarios: retrieval excluded (agent without knowledge) and included (agent with the
 * fixture business's documents; the model calls `search_knowledge` then answers), JSON
 * and SSE responses, 1 and 100 concurrent sessions. Runs on an in-memory PGlite and, when
 * reachable, on PostgreSQL (`ORATIO_BENCH_DATABASE_URL`, default
 * postgres://postgres@127.0.0.1:5432/test; a throwaway database is created and dropped).
 * Requests go to the app in-process (no socket), each with an API key.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LanguageModel, ModelRequest, ModelStreamPart } from "@oratio/core";
import { BUSINESS_FIXTURE_DIR } from "@oratio/knowledge/testing";
import pg from "pg";
import type { ModelRegistry } from "../packages/server/src/conversation/models.ts";
import { createTestApp, type TestApp } from "../packages/server/src/testing.ts";
import { cpuSince, sampleCpu } from "./lib/cpu-time.ts";

/** Wall-clock budget per scenario; a scenario stops issuing turns when it runs out. */
const SCENARIO_BUDGET_MS = Number(process.env.TURN_BENCH_BUDGET_MS ?? 1500);
/** Conversations are rotated after this many turns, as real ones are short. */
const TURNS_PER_SESSION = 10;
/** `TURN_BENCH_CONCURRENCY=1` measures one level only. */
const CONCURRENCY = (process.env.TURN_BENCH_CONCURRENCY ?? "1,100").split(",").map(Number);
/** `TURN_BENCH_RETRIEVAL=excluded` skips the knowledge scenarios (and their setup). */
const RETRIEVAL = (process.env.TURN_BENCH_RETRIEVAL ?? "excluded,included").split(",") as (
  | "excluded"
  | "included"
)[];
/** `TURN_BENCH_RESPONSES=json` measures one response format only. */
const RESPONSES = (process.env.TURN_BENCH_RESPONSES ?? "json,sse").split(",") as ("json" | "sse")[];

/**
 * A LanguageModel that always has a reply ready and yields it at once: with the
 * `search_knowledge` tool on offer and a caller message last, it searches for the caller's
 * words first; otherwise it answers in two text deltas.
 */
class InstantModel implements LanguageModel {
  readonly provider = "bench";
  constructor(readonly modelId: string) {}

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const last = request.messages.at(-1);
    const canSearch = request.tools?.some((t) => t.name === "search_knowledge");
    if (canSearch && last?.role === "user") {
      yield {
        type: "tool-call",
        id: `call_${crypto.randomUUID()}`,
        name: "search_knowledge",
        args: JSON.stringify({ query: last.content }),
      };
      yield { type: "finish", reason: "tool-calls", usage: { inputTokens: 50, outputTokens: 10 } };
      return;
    }
    yield { type: "text-delta", text: "Thanks for asking. " };
    yield { type: "text-delta", text: "Here is what I found." };
    yield { type: "finish", reason: "stop", usage: { inputTokens: 60, outputTokens: 8 } };
  }
}

const instantModels: ModelRegistry = {
  async resolve() {
    const models = new Map<string, InstantModel>();
    return (ref) => {
      let model = models.get(ref);
      if (!model) {
        model = new InstantModel(ref);
        models.set(ref, model);
      }
      return model;
    };
  },
};

interface Setup {
  t: TestApp;
  apiKey: string;
  agents: { plain: string; knowledge: string };
  questions: string[];
}

async function call(t: TestApp, method: string, url: string, token: string, json?: unknown, body?: FormData) {
  const res = await t.request(method, url, { token, json, body });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** The fixture business's documents and the top-level pages of its website. */
function fixtureFiles(): File[] {
  const files = ["sop.md", "handbook.pdf", "policies.docx", "price-list.csv"].map(
    (name) => new File([readFileSync(path.join(BUSINESS_FIXTURE_DIR, name))], name),
  );
  const site = path.join(BUSINESS_FIXTURE_DIR, "site");
  for (const name of readdirSync(site).filter((n) => n.endsWith(".html"))) {
    files.push(new File([readFileSync(path.join(site, name))], name, { type: "text/html" }));
  }
  return files.slice(0, 20);
}

async function setUp(): Promise<Setup> {
  const t = await createTestApp({}, { models: instantModels });
  const signup = await t.request("POST", "/api/v1/auth/signup", {
    json: { email: "bench@example.com", password: "benchmark-pw", name: "Bench", organizationName: "Bench" },
  });
  const { accessToken } = await signup.json();
  const key = await call(t, "POST", "/api/v1/api-keys", accessToken, { name: "bench", scopes: ["*"] });
  const kb = await call(t, "POST", "/api/v1/knowledge-bases", accessToken, { name: "Harborview" });
  if (RETRIEVAL.includes("included")) {
    const form = new FormData();
    for (const file of fixtureFiles()) form.append("files", file);
    const upload = await call(
      t,
      "POST",
      `/api/v1/knowledge-bases/${kb.id}/documents`,
      accessToken,
      undefined,
      form,
    );
    await (
      await t.request("GET", `/api/v1/jobs/${upload.jobId}/events`, {
        token: accessToken,
        headers: { accept: "text/event-stream" },
      })
    ).text();
  }
  const limits = { maxTurns: 1000, maxSessionMinutes: 1440, maxToolCalls: 500 };
  const agent = (name: string, extra: object) =>
    call(t, "POST", "/api/v1/agents", accessToken, {
      name,
      instructions: "Answer the caller briefly and politely.",
      model: { providerId: "local", model: name },
      limits,
      ...extra,
    });
  const plain = await agent("plain", {});
  const knowledge = await agent("knowledge", { knowledgeBaseIds: [kb.id] });
  const { questions } = JSON.parse(readFileSync(path.join(BUSINESS_FIXTURE_DIR, "eval.json"), "utf8")) as {
    questions: { question: string }[];
  };
  return {
    t,
    apiKey: key.key,
    agents: { plain: plain.id, knowledge: knowledge.id },
    questions: questions.map((q) => q.question),
  };
}

interface Measured {
  turns: number;
  p50: number;
  p95: number;
  mean: number;
  turnsPerSecond: number;
  /** Sessions a worker had to open mid-run (their CPU counts against the turns). */
  rotationsOutsidePool: number;
  /** CPU per turn: this process (server and, with PGlite, the database) and PostgreSQL's. */
  cpuMsPerTurn: number;
  /** The database server's share of `cpuMsPerTurn` (0 with PGlite, which runs in process). */
  databaseCpuMsPerTurn: number;
  /** What the 2 cores could serve if this work had them to itself. */
  capacityTurnsPerSecond: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `concurrency` workers each hold one session and send turns back to back until the
 * budget runs out, moving to a fresh session (opened beforehand) every TURNS_PER_SESSION turns.
 */
async function runScenario(
  s: Setup,
  agentId: string,
  sse: boolean,
  concurrency: number,
  budgetMs: number,
): Promise<Measured> {
  const { t, apiKey } = s;
  const newSession = async () =>
    (await call(t, "POST", "/api/v1/sessions", apiKey, { agentId, channel: "api" })).id as string;
  // Sessions are opened before the clock starts, enough for a fast run (2 ms turns), so
  // neither the timings nor the CPU figures carry session creation; a worker that runs out
  // opens more itself, untimed.
  const perWorker = Math.max(2, Math.ceil(budgetMs / 2 / concurrency / TURNS_PER_SESSION));
  const pools: string[][] = [];
  for (let w = 0; w < concurrency; w++) pools.push([]);
  for (let round = 0; round < perWorker; round++) {
    const opened = await Promise.all(pools.map(() => newSession()));
    for (const [w, id] of opened.entries()) pools[w]!.push(id);
  }
  const times: number[] = [];
  let q = 0;
  const started = performance.now();
  // The throwaway database's name, from the handle's label `PostgreSQL (postgres://…/name)`.
  const database = /\/([\w]+)\)$/.exec(t.database.label)?.[1];
  const cpuStart = sampleCpu(database);
  const deadline = started + budgetMs;
  let untimed = 0;
  let rotationsOutsidePool = 0;
  await Promise.all(
    pools.map(async (pool) => {
      let sessionId = pool.shift()!;
      let turns = 0;
      while (performance.now() < deadline) {
        if (turns === TURNS_PER_SESSION) {
          const next = pool.shift();
          if (next) {
            sessionId = next;
          } else {
            const t0 = performance.now();
            sessionId = await newSession();
            untimed += performance.now() - t0;
            rotationsOutsidePool += 1;
          }
          turns = 0;
        }
        const text = s.questions[q++ % s.questions.length]!;
        const t0 = performance.now();
        // Content-Length as any HTTP client sends it with a JSON body (without it the body
        // limit has to read and re-wrap the body, which requests off the network never need).
        const json = { text };
        const headers: Record<string, string> = {
          "content-length": String(Buffer.byteLength(JSON.stringify(json))),
        };
        if (sse) headers.accept = "text/event-stream";
        const res = await t.request("POST", `/api/v1/sessions/${sessionId}/messages`, {
          token: apiKey,
          json,
          headers,
        });
        const body = await res.text();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`turn failed: ${res.status} ${body}`);
        if (sse ? !body.includes("event: turn-end") : !JSON.parse(body).text) {
          throw new Error(`turn produced no answer: ${body.slice(0, 300)}`);
        }
        turns += 1;
      }
    }),
  );
  const cpu = cpuSince(cpuStart, database);
  // Session creation during rotation is excluded from throughput (spread over the workers).
  const elapsed = performance.now() - started - untimed / concurrency;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    turns: times.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    turnsPerSecond: (times.length / elapsed) * 1000,
    rotationsOutsidePool,
    cpuMsPerTurn: (cpu.processMs + cpu.postgresMs) / Math.max(1, times.length),
    databaseCpuMsPerTurn: cpu.postgresMs / Math.max(1, times.length),
    capacityTurnsPerSecond:
      (os.cpus().length * 1000 * times.length) / Math.max(1, cpu.processMs + cpu.postgresMs),
  };
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

interface Row extends Measured {
  database: string;
  retrieval: "excluded" | "included";
  response: "json" | "sse";
  concurrency: number;
}

async function benchDatabase(database: string): Promise<Row[]> {
  const s = await setUp();
  const rows: Row[] = [];
  try {
    // Warm-up: JIT, prepared statements, first-use caches, and the batched reads and
    // commits that only many sessions at once exercise.
    await runScenario(s, s.agents.plain, false, 1, 400);
    const most = Math.max(...CONCURRENCY);
    if (most > 1) await runScenario(s, s.agents.plain, false, most, 400);
    if (RETRIEVAL.includes("included")) await runScenario(s, s.agents.knowledge, false, 1, 400);
    for (const retrieval of RETRIEVAL) {
      const agentId = retrieval === "excluded" ? s.agents.plain : s.agents.knowledge;
      for (const response of RESPONSES) {
        for (const concurrency of CONCURRENCY) {
          const m = await runScenario(s, agentId, response === "sse", concurrency, SCENARIO_BUDGET_MS);
          rows.push({ database, retrieval, response, concurrency, ...m });
        }
      }
    }
  } finally {
    await s.t.close();
  }
  return rows;
}

/** `TURN_BENCH_DATABASES=pglite` or `=postgresql` measures one of them only. */
const databases = (process.env.TURN_BENCH_DATABASES ?? "pglite,postgresql").split(",");
const rows: Row[] = [];
delete process.env.ORATIO_TEST_DATABASE_URL;
if (databases.includes("pglite")) rows.push(...(await benchDatabase("pglite (in-memory)")));
const pgUrl = process.env.ORATIO_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
let postgres = "skipped: not reachable";
if (!databases.includes("postgresql")) {
  postgres = "skipped: not selected";
} else if (await postgresReachable(pgUrl)) {
  process.env.ORATIO_TEST_DATABASE_URL = pgUrl;
  rows.push(...(await benchDatabase("postgresql")));
  delete process.env.ORATIO_TEST_DATABASE_URL;
  postgres = "measured";
} else {
  console.warn(`PostgreSQL at ${pgUrl} is not reachable; measuring PGlite only.`);
}

const fixed = (n: number) => Number(n.toFixed(2));
console.table(
  rows.map((r) => ({
    database: r.database,
    retrieval: r.retrieval,
    response: r.response,
    sessions: r.concurrency,
    turns: r.turns,
    "p50 ms": fixed(r.p50),
    "p95 ms": fixed(r.p95),
    "turns/s": Math.round(r.turnsPerSecond),
    "cpu ms/turn": fixed(r.cpuMsPerTurn),
    "of which db": fixed(r.databaseCpuMsPerTurn),
    "capacity turns/s": Math.round(r.capacityTurnsPerSecond),
    "opened mid-run": r.rotationsOutsidePool,
  })),
);
const plainJson = rows.filter((r) => r.retrieval === "excluded" && r.response === "json");
console.log(
  `goal p50 <= 5 ms without retrieval: ${plainJson.map((r) => `${r.database} ×${r.concurrency} ${fixed(r.p50)} ms`).join(", ")}`,
);
console.log(
  `goal >= 1000 turns/s: best ${Math.round(Math.max(...rows.map((r) => r.turnsPerSecond)))} turns/s measured, ` +
    `${Math.round(Math.max(...rows.map((r) => r.capacityTurnsPerSecond)))} turns/s from CPU time per turn ` +
    `(load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})`,
);

const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
mkdirSync(out, { recursive: true });
const result = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadAverage: os.loadavg(),
  scenarioBudgetMs: SCENARIO_BUDGET_MS,
  turnsPerSession: TURNS_PER_SESSION,
  postgres,
  rows: rows.map((r) => ({ ...r, p50: fixed(r.p50), p95: fixed(r.p95), mean: fixed(r.mean) })),
};
writeFileSync(path.join(out, "turn-overhead.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${path.join(out, "turn-overhead.json")}`);
