import type { AppDeps } from "../context.ts";
import type { ModelRegistry } from "../conversation/models.ts";
import { GENERATE_AGENTS_JOB, generateAgentsHandler } from "./generate-job.ts";
import { RUN_AGENT_TESTS_JOB, runAgentTestsHandler } from "./test-run-job.ts";

export { GENERATE_AGENTS_JOB, type GeneratePayload } from "./generate-job.ts";
export { RUN_AGENT_TESTS_JOB, type TestResult, type TestRunPayload } from "./test-run-job.ts";

/** The agent builder's and the agent test runner's background jobs. */
export function registerBuilderJobs(deps: AppDeps, models: ModelRegistry): void {
  deps.jobs.register(GENERATE_AGENTS_JOB, generateAgentsHandler(deps, models));
  deps.jobs.register(RUN_AGENT_TESTS_JOB, runAgentTestsHandler(deps));
}
