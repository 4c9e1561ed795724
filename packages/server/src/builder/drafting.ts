import type { LanguageModel } from "@oratio/core";
import diff from "microdiff";
import {
  type AgentDraft,
  AgentDraftSchema,
  type BusinessProfile,
  type Finding,
  type Procedure,
  ReviewSchema,
  type SopParse,
} from "./schemas.ts";
import { callStructured, type ModelCallRecord } from "./structured-call.ts";

export const DRAFT_SYSTEM =
  "You write the configuration of one AI agent that serves a business's customers by phone and chat. " +
  "Write instructions in the second person that follow the SOP procedures given, a short greeting, the " +
  "built-in tools it needs (search_knowledge for facts, request_human to bring in a person, end_session), " +
  "custom tool stubs for actions the SOP mentions that need a system (such as booking), handoffs to the " +
  "other agents by role name with when to use each, and rules. Never promise what the SOP forbids.";

export const REVIEW_SYSTEM =
  "You review an AI agent's configuration against the business profile and the SOP procedures it must " +
  "follow. Report each problem as a finding: an intent the instructions do not cover (coverage), " +
  "instructions that contradict the profile or SOP (contradiction), an escalation or handoff path the SOP " +
  "requires but the configuration lacks (missing-escalation), or a promise the agent must not make " +
  "(unsafe-promise). Return no findings when the configuration is sound.";

export interface ReviewCycle {
  cycle: number;
  findings: Finding[];
  /** Fields of the draft the refinement changed, as JSON paths. */
  changed: string[];
}

export interface DraftOutcome {
  role: string;
  draft: AgentDraft;
  cycles: ReviewCycle[];
}

export interface DraftInput {
  role: { name: string; description: string; entry: boolean };
  procedures: Procedure[];
  otherAgents: { name: string; description: string }[];
  parse: SopParse;
  profile: BusinessProfile;
}

function compactProfile(profile: BusinessProfile) {
  // The reviewer and drafter see the facts, not the citations, to keep prompts small.
  return Object.fromEntries(
    Object.entries(profile).map(([k, v]) => [
      k,
      Array.isArray(v)
        ? v
            .slice(0, 10)
            .map((f) => ("text" in f ? f.text : `${f.location} ${f.weekday} ${f.opens}-${f.closes}`))
        : (v?.text ?? null),
    ]),
  );
}

function draftContext(input: DraftInput) {
  return {
    agent: input.role,
    procedures: input.procedures.map(({ citation: _c, ...p }) => p),
    otherAgents: input.otherAgents,
    escalationRules: input.parse.escalationRules.map((r) => ({ condition: r.condition, target: r.target })),
    forbidden: input.parse.forbidden.map((f) => f.text),
    profile: compactProfile(input.profile),
  };
}

/**
 * Drafts one agent, then reviews and refines it: at most `maxCycles` review cycles
 * (at least two are attempted), stopping as soon as the reviewer finds nothing.
 */
export async function draftReviewRefine(
  model: LanguageModel,
  input: DraftInput,
  options: {
    maxCycles: number;
    log: ModelCallRecord[];
    signal: AbortSignal;
    onStage?: (stage: string) => void;
  },
): Promise<DraftOutcome> {
  const { log, signal } = options;
  const context = draftContext(input);
  options.onStage?.("draft agent");
  let draft = await callStructured(
    model,
    {
      stage: "draft agent",
      purpose: `draft ${input.role.name}`,
      name: "agent_draft",
      system: DRAFT_SYSTEM,
      task: `Draft the configuration of the agent "${input.role.name}".`,
      input: context,
      schema: AgentDraftSchema,
    },
    log,
    signal,
  );
  const cycles: ReviewCycle[] = [];
  for (let cycle = 1; cycle <= Math.max(2, options.maxCycles); cycle++) {
    options.onStage?.("review");
    const review = await callStructured(
      model,
      {
        stage: "review",
        purpose: `review ${input.role.name} (cycle ${cycle})`,
        name: "agent_review",
        system: REVIEW_SYSTEM,
        task: `Review the draft of "${input.role.name}" against its procedures, the escalation rules and the profile.`,
        input: { ...context, draft },
        schema: ReviewSchema,
      },
      log,
      signal,
    );
    if (review.findings.length === 0) {
      cycles.push({ cycle, findings: [], changed: [] });
      break;
    }
    options.onStage?.("refine");
    const refined = await callStructured(
      model,
      {
        stage: "refine",
        purpose: `refine ${input.role.name} (cycle ${cycle})`,
        name: "agent_draft",
        system: DRAFT_SYSTEM,
        task: `Revise the draft of "${input.role.name}" so that it resolves every finding. Return the whole configuration.`,
        input: { ...context, draft, findings: review.findings },
        schema: AgentDraftSchema,
      },
      log,
      signal,
    );
    // Reported per top-level field: which parts of the configuration the findings changed.
    const changed = [...new Set(diff(draft, refined).map((d) => String(d.path[0])))];
    cycles.push({ cycle, findings: review.findings, changed });
    draft = refined;
  }
  return { role: input.role.name, draft, cycles };
}
