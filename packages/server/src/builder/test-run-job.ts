import { isOratioError } from "@oratio/core";
import { agents, agentTestCases, agentTestRuns, OrgScope } from "@oratio/db";
import { asc, eq, inArray, or } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import type { ClientEvent } from "../conversation/stream-events.ts";
import type { JobContext } from "../jobs/types.ts";
import { type ExpectationResult, evaluate, type TranscriptEntry } from "./evaluate.ts";
import type { Expectations } from "./schemas.ts";

export const RUN_AGENT_TESTS_JOB = "agents.tests.run";

export interface TestRunPayload {
  runId: string;
  agentId: string;
  version: number;
}

export interface TestResult {
  testId: string;
  name: string;
  passed: boolean;
  sessionId: string | null;
  expectations: ExpectationResult[];
  transcript: TranscriptEntry[];
  error?: string;
}

/** The tests of an agent in the order they run (and are listed). */
export function testOrder() {
  return [asc(agentTestCases.createdAt), asc(agentTestCases.name), asc(agentTestCases.id)];
}

function describe(error: unknown): string {
  if (isOratioError(error)) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** Collects the turn events of a test conversation into the transcript the evaluator reads. */
function recorder(transcript: TranscriptEntry[]) {
  let reply: TranscriptEntry | undefined;
  return (event: ClientEvent) => {
    switch (event.type) {
      case "text-delta":
        if (!reply || reply.agent !== event.agent) {
          reply = { kind: "assistant", agent: event.agent, text: "" };
          transcript.push(reply);
        }
        reply.text += event.text;
        return;
      case "tool-call":
        reply = undefined;
        transcript.push({
          kind: "tool-call",
          agent: event.agent,
          name: event.name,
          detail: JSON.stringify(event.args),
        });
        return;
      case "handoff":
        reply = undefined;
        transcript.push({ kind: "handoff", agent: event.from, to: event.to, detail: event.reason ?? "" });
        return;
      case "handoff-refused":
        transcript.push({ kind: "handoff-refused", agent: event.from, to: event.to, detail: event.reason });
        return;
      case "needs-human":
        transcript.push({ kind: "needs-human", agent: event.agent, detail: event.detail });
        return;
      case "citation":
        transcript.push({
          kind: "citation",
          agent: event.agent,
          text: event.citation.title ?? event.citation.documentId,
        });
        return;
      case "error":
        transcript.push({ kind: "error", agent: event.agent, detail: event.error.message });
        return;
      default:
        return;
    }
  };
}

/**
 * Runs an agent's suite on one version: each test is a real session (pinned to that
 * version) fed the scripted user turns; its events are judged against the expectations.
 */
export function runAgentTestsHandler(deps: AppDeps) {
  return async (ctx: JobContext<TestRunPayload>) => {
    const scope = new OrgScope(deps.db, ctx.orgId);
    const { runId, agentId, version } = ctx.payload;
    const setRun = (patch: Partial<typeof agentTestRuns.$inferInsert>) =>
      scope.db
        .update(agentTestRuns)
        .set(patch)
        .where(scope.where(agentTestRuns, eq(agentTestRuns.id, runId)));
    const cases = await scope.db
      .select()
      .from(agentTestCases)
      .where(scope.where(agentTestCases, eq(agentTestCases.agentId, agentId)))
      .orderBy(...testOrder());
    await setRun({ status: "running" });
    const results: TestResult[] = [];
    let passed = 0;
    let failed = 0;
    ctx.progress({ total: cases.length, done: 0, passed, failed });

    // Handoff targets are named by slug or id; drafts cannot be reached by a live conversation.
    const refs = [
      ...new Set(cases.map((c) => (c.expectations as Expectations).mustHandOffTo).filter(Boolean)),
    ] as string[];
    const uuid = /^[0-9a-f-]{36}$/i;
    const known = refs.length
      ? await scope.db
          .select({ id: agents.id, slug: agents.slug, published: agents.publishedVersion })
          .from(agents)
          .where(
            scope.where(
              agents,
              or(
                inArray(agents.slug, refs),
                inArray(
                  agents.id,
                  refs.filter((r) => uuid.test(r)),
                ),
              ),
            ),
          )
      : [];
    const resolveAgent = (ref: string) => {
      const agent = known.find((a) => a.id === ref || a.slug === ref);
      if (!agent) return { slug: ref, note: `No agent "${ref}" exists.` };
      return {
        slug: agent.slug,
        note:
          agent.published === null
            ? `${agent.slug} has no published version; conversations can only be handed to published agents.`
            : undefined,
      };
    };

    try {
      for (const test of cases) {
        ctx.signal.throwIfAborted();
        const transcript: TranscriptEntry[] = [];
        const listen = recorder(transcript);
        let sessionId: string | null = null;
        let error: string | undefined;
        try {
          const session = await deps.conversations.createSession(scope, {
            agentId,
            version,
            channel: "api",
            metadata: { testRunId: runId, testCaseId: test.id },
          });
          sessionId = session.id;
          for (const turn of test.turns as string[]) {
            transcript.push({ kind: "user", text: turn });
            const summary = await deps.conversations.sendMessage(scope, session.id, turn, listen);
            // Replies that arrived without deltas (or an operator's) still count as said.
            const last = transcript.filter((e) => e.kind === "assistant").at(-1);
            if (summary.text && !last?.text?.includes(summary.text))
              transcript.push({ kind: "assistant", agent: summary.agent, text: summary.text });
            if (summary.sessionStatus === "ended") break;
          }
          await deps.conversations.end(scope, session.id, "test-finished");
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          error = describe(e);
        }
        const verdicts = error ? [] : evaluate(test.expectations as Expectations, transcript, resolveAgent);
        const ok = !error && verdicts.every((v) => v.passed);
        if (ok) passed += 1;
        else failed += 1;
        results.push({
          testId: test.id,
          name: test.name,
          passed: ok,
          sessionId,
          expectations: verdicts,
          transcript,
          ...(error ? { error } : {}),
        });
        ctx.progress({ done: results.length, passed, failed, current: test.name });
        await setRun({ passed, failed, results });
      }
      const status = failed === 0 ? "passed" : "failed";
      await setRun({ status, passed, failed, results, finishedAt: new Date() });
      return { runId, status, passed, failed, total: cases.length };
    } catch (error) {
      await setRun({ status: "error", error: describe(error), results, finishedAt: new Date() });
      throw error;
    }
  };
}
