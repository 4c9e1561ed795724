import type { LanguageModel } from "@oratio/core";
import { type Procedure, type SopParse, SopParseSchema } from "./schemas.ts";
import { callStructured, type ModelCallRecord } from "./structured-call.ts";

export interface SopPassage {
  n: number;
  heading: string;
  text: string;
}

const MAX_PASSAGE_CHARS = 4000;

/**
 * Splits an SOP into numbered passages at its headings (or blank-line paragraphs when it
 * has none), so that every procedure can cite the passage it came from.
 */
export function splitSop(markdown: string): SopPassage[] {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const sections: { heading: string; body: string[] }[] = [];
  let current: { heading: string; body: string[] } = { heading: "", body: [] };
  for (const line of lines) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      if (current.heading || current.body.some((l) => l.trim())) sections.push(current);
      current = { heading: heading[1]!.trim(), body: [] };
    } else current.body.push(line);
  }
  if (current.heading || current.body.some((l) => l.trim())) sections.push(current);
  let pieces = sections;
  if (sections.length <= 1) {
    pieces = markdown
      .split(/\n\s*\n/)
      .filter((p) => p.trim())
      .map((p) => ({ heading: "", body: [p] }));
  }
  return pieces
    .map((s) => ({ heading: s.heading, text: s.body.join("\n").trim().slice(0, MAX_PASSAGE_CHARS) }))
    .filter((s) => s.text || s.heading)
    .map((s, i) => ({ n: i + 1, ...s }));
}

export const SOP_SYSTEM =
  "You turn a business's standard operating procedure into structured procedures for AI agents. " +
  "Use only what the SOP says. Roles are the people or teams the SOP names; mark a role `agent` when " +
  "conversations are handed to it to handle (a specialist an AI agent can play) and `human` when only a " +
  "person can act (approvals, complaints, waivers). Exactly one role is the entry role that answers " +
  "first. Each intent is one kind of caller request with its steps, the information to collect, " +
  "decision rules, forbidden actions, escalation conditions and the roles it is handed to; cite the " +
  "passage number it comes from and give one typical caller request plus short phrases a correct " +
  "reply contains.";

/** Parses the SOP into roles, intents, escalation rules and forbidden actions. */
export async function parseSop(
  model: LanguageModel,
  passages: SopPassage[],
  log: ModelCallRecord[],
  signal: AbortSignal,
): Promise<SopParse> {
  const parsed = await callStructured(
    model,
    {
      stage: "parse SOP",
      purpose: "SOP procedures",
      name: "sop_procedures",
      system: SOP_SYSTEM,
      task: "Parse this SOP (numbered passages) into roles, intents, escalation rules and forbidden actions.",
      input: { passages },
      schema: SopParseSchema,
    },
    log,
    signal,
  );
  return normaliseRoles(parsed);
}

/** Guarantees one entry role (an SOP that names none still gets a receptionist). */
function normaliseRoles(parse: SopParse): SopParse {
  const roles = parse.roles.filter((r, i, all) => all.findIndex((o) => same(o.name, r.name)) === i);
  let entry = roles.find((r) => r.entry) ?? roles.find((r) => /reception|front desk/i.test(r.name));
  if (!entry) {
    entry = {
      name: "Receptionist",
      description: "Answers first.",
      contact: null,
      kind: "agent",
      entry: true,
    };
    roles.unshift(entry);
  }
  return {
    ...parse,
    roles: roles.map((r) => (r === entry ? { ...r, entry: true, kind: "agent" } : { ...r, entry: false })),
  };
}

export function same(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  return norm(a) === norm(b) || norm(a).includes(norm(b)) || norm(b).includes(norm(a));
}

/** The role (by SOP name) that handles an intent: its own role if that is an agent, else the entry role. */
export function roleFor(parse: SopParse, roleName: string): string {
  const entry = parse.roles.find((r) => r.entry)!;
  const role = parse.roles.find((r) => same(r.name, roleName));
  return role && role.kind === "agent" ? role.name : entry.name;
}

/** An escalation target that is no agent role (`human`, or a role only a person can fill). */
export function escalatesToHuman(parse: SopParse, target: string): boolean {
  const role = parse.roles.find((r) => same(r.name, target));
  return !role || role.kind === "human";
}

/** Procedures with their SOP citation resolved from the passage number. */
export function toProcedures(parse: SopParse, passages: SopPassage[]): Procedure[] {
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  return parse.intents.map((intent) => {
    const passage = byNumber.get(intent.passage);
    return {
      intent: intent.name,
      role: roleFor(parse, intent.role),
      steps: intent.steps,
      collect: intent.collect,
      decisionRules: intent.decisionRules,
      forbidden: intent.forbidden,
      escalation: intent.escalation,
      handoffTargets: intent.handoffTargets,
      exampleRequest: intent.exampleRequest,
      mustMention: intent.mustMention,
      citation: {
        passage: intent.passage,
        heading: passage?.heading ?? "",
        excerpt: (passage?.text ?? "").slice(0, 300),
      },
    };
  });
}

/** Renders an agent's procedures and the SOP's global rules into its instructions. */
export function renderProcedures(procedures: Procedure[], parse: SopParse): string {
  const lines: string[] = [];
  if (procedures.length) lines.push("Procedures:");
  for (const p of procedures) {
    lines.push(`### ${p.intent}`);
    if (p.steps.length) lines.push(...p.steps.map((s, i) => `${i + 1}. ${s}`));
    if (p.collect.length) lines.push(`Collect: ${p.collect.join("; ")}.`);
    for (const r of p.decisionRules) lines.push(`- Rule: ${r}`);
    for (const f of p.forbidden) lines.push(`- Never: ${f}`);
    for (const e of p.escalation) lines.push(`- Escalate: ${e}`);
  }
  if (parse.escalationRules.length) {
    lines.push("", "Escalate to a person (call request_human) when:");
    for (const r of parse.escalationRules.filter((r) => escalatesToHuman(parse, r.target)))
      lines.push(`- ${r.condition}`);
  }
  if (parse.forbidden.length) {
    lines.push("", "Forbidden:");
    for (const f of parse.forbidden) lines.push(`- ${f.text}`);
  }
  return lines.join("\n");
}
