import type { LanguageModel, ModelRequest, ModelStreamPart, StreamOptions } from "@oratio/core";
import { INPUT_MARKER } from "../structured-call.ts";

/**
 * A zero-latency LanguageModel for benchmarks and tests that answers each agent-builder
 * prompt with valid JSON derived from the prompt's own input, by plain text rules (bold
 * role names, numbered steps, "→ hand to" headings…). It stands in for a real model's
 * reading so the builder's own machinery can be measured and tested end to end.
 */
export class InstantBuilderModel implements LanguageModel {
  readonly provider = "instant";
  readonly requests: ModelRequest[] = [];

  constructor(readonly modelId = "instant-builder") {}

  async *stream(request: ModelRequest, options: StreamOptions = {}): AsyncGenerator<ModelStreamPart> {
    options.signal?.throwIfAborted();
    this.requests.push(request);
    const format = request.responseFormat;
    if (format?.type !== "json") throw new Error("InstantBuilderModel only answers JSON requests.");
    const input = readInput(request);
    const answer = JSON.stringify(respond(format.name ?? "", input));
    yield { type: "text-delta", text: answer };
    const inputChars =
      (request.system?.length ?? 0) + request.messages.reduce((n, m) => n + m.content.length, 0);
    yield {
      type: "finish",
      reason: "stop",
      usage: { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(answer.length / 4) },
    };
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the prompt input is read loosely, as a model would
type Input = any;

function readInput(request: ModelRequest): Input {
  const first = request.messages.find((m) => m.role === "user" && m.content.includes(INPUT_MARKER));
  if (!first) return {};
  return JSON.parse(first.content.slice(first.content.indexOf(INPUT_MARKER) + INPUT_MARKER.length));
}

function respond(name: string, input: Input): unknown {
  switch (name) {
    case "business_profile":
      return profile(input);
    case "sop_procedures":
      return sop(input);
    case "agent_draft":
      return draft(input);
    case "agent_review":
      return review(input);
    default:
      return {};
  }
}

// ── business profile ──────────────────────────────────────────────────────────────────

const KEYWORDS: Record<string, RegExp> = {
  locations: /\b(address|street|office|located|location)\b/i,
  contact: /\(\d{3}\)\s?\d{3}-\d{4}|@[a-z0-9-]+\.|\bphone\b|\bemail\b/i,
  serviceArea: /\b(serve|serving|area|patients from|families)\b/i,
  services: /\b(cleaning|filling|crown|implant|whitening|orthodont|exam|treatment|service)s?\b/i,
  prices: /\$\s?\d/,
  booking: /\b(book|appointment|schedul)/i,
  cancellation: /\b(cancel|reschedul|48-hour|notice)/i,
  payment: /\b(pay|payment|card|insurance|plan|in network|cash)/i,
  discounts: /\b(discount|% off|membership|savings|promotion)/i,
  warranties: /\b(warrant|guarantee)/i,
  policies: /\b(policy|policies|must|required|consent)\b/i,
  emergencies: /\b(emergenc|911|swelling|after-hours|urgent|bleeding)/i,
  staff: /\b(Dr\.|dentist|hygienist|DDS|DMD|RDH|credential|licensed)/i,
  languagesAccessibility: /\b(spanish|language|wheelchair|accessib|interpreter|elevator)/i,
  faqs: /\?/,
  escalationContacts: /\b(manager|coordinator|billing|complaint)/i,
};

const WEEKDAYS =
  /\b(Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\b/;
const TIME = /(\d{1,2}(?::\d{2})?\s?(?:am|pm)?)\s*(?:–|-|to)\s*(\d{1,2}(?::\d{2})?\s?(?:am|pm)?)/i;

/** The proper name (two to four capitalised words) the passages repeat most, as a business calls itself. */
function mostNamed(passages: { n: number; text: string }[]) {
  const counts = new Map<string, { count: number; passage: number }>();
  for (const p of passages) {
    for (const m of p.text.matchAll(/\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}\b/g)) {
      const entry = counts.get(m[0]) ?? { count: 0, passage: p.n };
      entry.count += 1;
      counts.set(m[0], entry);
    }
  }
  const best = [...counts].sort((a, b) => b[1].count - a[1].count)[0];
  return best ? { text: best[0], passage: best[1].passage } : null;
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/[#*|]/g, " ").replace(/\s+/g, " ").trim())
    .filter((s) => s.length > 8);
}

function profile(input: Input) {
  const passages = (input.passages ?? []) as { n: number; title: string; text: string }[];
  const out: Record<string, unknown> = {};
  for (const category of (input.categories ?? []) as string[]) {
    if (category === "businessName") {
      out.businessName = mostNamed(passages);
    } else if (category === "description") {
      const p = passages[0];
      const first = p && sentences(p.text)[0];
      out.description = first ? { text: first.slice(0, 300), passage: p.n } : null;
    } else if (category === "hours") {
      const hours: unknown[] = [];
      for (const p of passages) {
        for (const line of p.text.split("\n")) {
          const day = WEEKDAYS.exec(line);
          const time = TIME.exec(line);
          if (day && time && hours.length < 30)
            hours.push({ location: p.title, weekday: day[1], opens: time[1], closes: time[2], passage: p.n });
        }
      }
      out.hours = hours;
    } else {
      const re = KEYWORDS[category];
      const facts: { text: string; passage: number }[] = [];
      for (const p of passages) {
        const hit = re && sentences(p.text).find((s) => re.test(s));
        if (hit && facts.length < 6 && !facts.some((f) => f.text === hit))
          facts.push({ text: hit.slice(0, 300), passage: p.n });
      }
      out[category] = facts;
    }
  }
  return out;
}

// ── SOP ───────────────────────────────────────────────────────────────────────────────

interface SopPassage {
  n: number;
  heading: string;
  text: string;
}

const NOT_INTENTS = /^(roles|greeting|closing|forbidden)|escalat|operating procedure/i;
const HAND_TO = /(?:→|->)\s*hand to (?:the )?(.+)$/i;

function bullets(text: string): string[] {
  return text
    .split("\n")
    .map((l) => /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(l)?.[1]?.trim())
    .filter((l): l is string => !!l);
}

function keyTerms(text: string): string[] {
  const terms = text.match(/\d+-(?:hour|minute|day)|\$\d+(?:\.\d{2})?|\(\d{3}\) \d{3}-\d{4}|\b911\b/g) ?? [];
  return [...new Set(terms)].slice(0, 2);
}

function sop(input: Input) {
  const passages = (input.passages ?? []) as SopPassage[];
  const rolesPassage = passages.find((p) => /roles/i.test(p.heading));
  const handTargets = passages
    .map((p) => HAND_TO.exec(p.heading)?.[1]?.trim())
    .filter((t): t is string => !!t);
  const roles = (rolesPassage ? bullets(rolesPassage.text) : []).map((line, i) => {
    const m = /^\*\*(.+?)\*\*\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$/.exec(line);
    const name = (m?.[1] ?? line.split(":")[0]!).trim();
    const handled = handTargets.some((t) => overlaps(t, name));
    return {
      name,
      description: (m?.[3] ?? line).trim(),
      contact: m?.[2]?.trim() ?? null,
      kind: i === 0 || handled ? "agent" : "human",
      entry: i === 0,
    };
  });
  const entry = roles[0]?.name ?? "Receptionist";
  const roleNamed = (target: string) => roles.find((r) => overlaps(target, r.name))?.name ?? target;
  const intents = passages
    .filter((p) => p.heading && !NOT_INTENTS.test(p.heading))
    .map((p) => {
      const target = HAND_TO.exec(p.heading)?.[1]?.trim();
      const name = p.heading.replace(HAND_TO, "").trim();
      const all = sentences(p.text);
      const steps = bullets(p.text);
      return {
        name,
        role: target ? roleNamed(target) : entry,
        steps: steps.length ? steps : all.slice(0, 4),
        collect: all.filter((s) => /\bcollect\b|\bask\b/i.test(s)).slice(0, 3),
        decisionRules: all.filter((s) => /\bif\b|\bonly\b|\bwhen\b/i.test(s)).slice(0, 3),
        forbidden: all.filter((s) => /\bnever\b|\bnot\b|nothing more/i.test(s)).slice(0, 3),
        escalation: all.filter((s) => /manager|transfer|911|emergency department/i.test(s)).slice(0, 3),
        handoffTargets: target ? [roleNamed(target)] : [],
        exampleRequest: `Hello, I'm calling about ${name.toLowerCase()}.`,
        mustMention: target ? [] : keyTerms(p.text),
        passage: p.n,
      };
    });
  const escalationPassage = passages.find((p) => /escalat/i.test(p.heading));
  const escalationRules = (escalationPassage ? bullets(escalationPassage.text) : []).map((condition) => ({
    condition: condition.replace(/[;.]$/, ""),
    target: "human",
    exampleRequest: `I need help with this: ${condition.replace(/^the /i, "").replace(/[;.]$/, "")}.`,
    passage: escalationPassage!.n,
  }));
  const forbiddenPassage = passages.find((p) => /forbidden/i.test(p.heading));
  const forbidden = (forbiddenPassage ? bullets(forbiddenPassage.text) : []).map((text) => ({
    text,
    passage: forbiddenPassage!.n,
  }));
  return { roles, intents, escalationRules, forbidden };
}

function overlaps(a: string, b: string): boolean {
  const words = (s: string) =>
    s
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 3);
  const wb = new Set(words(b));
  return words(a).some((w) => wb.has(w));
}

// ── draft, review, refine ─────────────────────────────────────────────────────────────

function draft(input: Input) {
  const agent = input.agent ?? { name: "Agent", description: "" };
  const procedures = (input.procedures ?? []) as { intent: string }[];
  const refining = Array.isArray(input.findings);
  const escalations = ((input.escalationRules ?? []) as { condition: string }[]).map((r) => r.condition);
  const business = input.profile?.businessName ?? "the business";
  const intents = procedures.map((p) => p.intent);
  return {
    instructions:
      `You are the ${agent.name} of ${business}. ${agent.description} ` +
      (intents.length ? `You handle: ${intents.join("; ")}. ` : "") +
      "Look facts up with search_knowledge and say where they come from. Be brief and friendly.",
    greeting: agent.entry
      ? `Thank you for calling ${business}. How can I help you today?`
      : `Hello, this is the ${agent.name.toLowerCase()}. How can I help?`,
    builtInTools: ["search_knowledge", "request_human", "end_session"],
    suggestedTools: intents.some((i) => /book|appointment/i.test(i))
      ? [
          {
            name: "book_appointment",
            description: "Books a visit in the practice's scheduling system.",
            parameters: [
              { name: "patientName", type: "string", required: true },
              { name: "office", type: "string", required: true },
              { name: "start", type: "string", required: true },
            ],
          },
        ]
      : [],
    handoffs: ((input.otherAgents ?? []) as { name: string; description: string }[]).map((o) => ({
      to: o.name,
      when: o.description.slice(0, 400),
    })),
    humanHandoffKeywords: ["speak to a person", "office manager"],
    // The first draft leaves out the escalation rules, which the reviewer then asks for.
    rules: [
      ...((input.forbidden ?? []) as string[]).map((f) => `Never: ${f}`.slice(0, 500)),
      ...(refining ? escalations.map((e) => `Escalate to a person when ${e}`.slice(0, 500)) : []),
    ],
  };
}

function review(input: Input) {
  const d = input.draft ?? {};
  const text = `${d.instructions ?? ""}\n${(d.rules ?? []).join("\n")}`.toLowerCase();
  const findings: unknown[] = [];
  for (const p of (input.procedures ?? []) as { intent: string }[]) {
    if (!text.includes(p.intent.toLowerCase()))
      findings.push({
        kind: "coverage",
        severity: "high",
        intent: p.intent,
        detail: `The instructions do not cover "${p.intent}".`,
        suggestion: `Add the "${p.intent}" procedure.`,
      });
  }
  for (const r of (input.escalationRules ?? []) as { condition: string }[]) {
    if (!text.includes(r.condition.toLowerCase()))
      findings.push({
        kind: "missing-escalation",
        severity: "high",
        intent: null,
        detail: `No escalation path for: ${r.condition}.`.slice(0, 1000),
        suggestion: "Add the rule and hand over to a person with request_human.",
      });
  }
  return { findings };
}
