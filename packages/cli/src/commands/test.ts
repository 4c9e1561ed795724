import { parseArgs } from "node:util";
import { type ApiClient, ApiError } from "../api-client.ts";
import type { Io } from "../io.ts";
import { formatTable } from "../table.ts";

export const TEST_USAGE = `Usage: oratio test AGENT [--version N] [--json]

Runs the agent's test suite (AGENT is an agent id or slug) on a version (default: the
latest), follows the run and prints a pass/fail table. Exits 1 when a test fails.`;

interface Job {
  id: string;
  status: string;
  progress: { done?: number; total?: number };
  error: string | null;
}

interface TestRun {
  id: string;
  agentVersion: number;
  status: string;
  passed: number;
  failed: number;
  error: string | null;
  results: {
    name: string;
    passed: boolean;
    error?: string;
    expectations: { expectation: string; passed: boolean; detail: string }[];
  }[];
}

export type { Io };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findAgentId(api: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const { data } = await api.request<{ data: { id: string; slug: string }[] }>("GET", "/agents");
  const agent = data.find((a) => a.slug === ref);
  if (!agent) throw new ApiError(404, `No agent with the slug "${ref}".`);
  return agent.id;
}

/** `oratio test AGENT`: start a run, follow its job, print the verdicts; 1 when anything failed. */
export async function testCommand(
  api: ApiClient,
  argv: string[],
  io: Io,
  signal?: AbortSignal,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      version: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    io.out(TEST_USAGE);
    return 0;
  }
  const ref = positionals[0];
  if (!ref || positionals.length > 1) {
    io.err(TEST_USAGE);
    return 2;
  }
  const version = values.version === undefined ? undefined : Number(values.version);
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
    io.err(`--version must be a positive whole number, not "${values.version}".`);
    return 2;
  }
  const agentId = await findAgentId(api, ref);
  const started = await api.request<{ jobId: string; runId: string; version: number; tests: number }>(
    "POST",
    `/agents/${agentId}/tests/run`,
    version === undefined ? {} : { version },
  );
  if (!values.json) io.err(`Running ${started.tests} test(s) on version ${started.version}…`);
  let job: Job;
  for (;;) {
    job = await api.request<Job>("GET", `/jobs/${started.jobId}`, undefined, signal);
    if (["succeeded", "failed", "cancelled"].includes(job.status)) break;
    await io.sleep(300, signal);
  }
  const run = await api.request<TestRun>("GET", `/agents/${agentId}/test-runs/${started.runId}`);
  if (values.json) io.out(JSON.stringify(run, null, 2));
  else {
    io.out(
      formatTable(
        ["RESULT", "TEST", "DETAIL"],
        run.results.map((r) => {
          const failed = r.expectations.filter((e) => !e.passed);
          const detail = r.error ?? failed.map((e) => `${e.expectation}: ${e.detail}`).join(" | ");
          return [r.passed ? "PASS" : "FAIL", r.name, r.passed ? "" : detail];
        }),
      ),
    );
    io.out("");
    io.out(`${run.passed} passed, ${run.failed} failed (run ${run.id}, version ${run.agentVersion})`);
    if (run.error) io.err(`The run stopped: ${run.error}`);
    if (job.status !== "succeeded" && job.error) io.err(`The job ${job.status}: ${job.error}`);
  }
  return run.status === "passed" ? 0 : 1;
}
