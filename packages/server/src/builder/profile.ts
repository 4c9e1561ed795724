import type { LanguageModel } from "@oratio/core";
import type { OrgScope } from "@oratio/db";
import { type SearchResult, searchKnowledge } from "../knowledge/search.ts";
import {
  type BusinessProfile,
  CATEGORY_KEYS,
  type FactCitation,
  type ModelFact,
  PROFILE_CATEGORIES,
  type ProfileCategory,
  profileExtractionSchema,
} from "./schemas.ts";
import { callStructured, type ModelCallRecord } from "./structured-call.ts";

const PASSAGES_PER_CATEGORY = 4;
const PASSAGE_CHARS = 700;

/**
 * Categories are extracted in a few groups rather than all at once (a prompt small enough
 * for local models) or one by one (too many calls).
 */
const GROUPS: string[][] = [
  ["businessName", "description", "hours", "locations", "contact", "serviceArea"],
  ["services", "prices", "discounts", "payment", "warranties"],
  ["booking", "cancellation", "policies", "emergencies"],
  ["staff", "languagesAccessibility", "faqs", "escalationContacts"],
];

const QUERIES: Record<string, string> = {
  businessName: "about us practice name welcome",
  description: "about us who we are practice",
  hours: "opening hours open closed monday friday saturday",
  ...PROFILE_CATEGORIES,
};

export const PROFILE_SYSTEM =
  "You extract facts about a business from numbered passages of its own documents and website. " +
  "Use only what the passages say; never invent. Each fact is one short sentence and names the passage " +
  "number it comes from. Leave a category empty when the passages say nothing about it.";

interface Passage {
  n: number;
  title: string;
  text: string;
  result: SearchResult;
}

export function emptyProfile(): BusinessProfile {
  return {
    businessName: null,
    description: null,
    hours: [],
    ...(Object.fromEntries(CATEGORY_KEYS.map((k) => [k, []])) as unknown as Record<ProfileCategory, []>),
  };
}

function citationOf(passage: Passage | undefined): FactCitation | null {
  if (!passage) return null;
  const c = passage.result.citation;
  return {
    documentId: c.documentId,
    title: c.title,
    url: c.url,
    page: c.page,
    excerpt: passage.text.slice(0, 300),
  };
}

async function extractGroup(
  scope: OrgScope,
  kbId: string,
  model: LanguageModel,
  group: string[],
  log: ModelCallRecord[],
  signal: AbortSignal,
): Promise<Partial<BusinessProfile>> {
  const passages: Passage[] = [];
  const seen = new Set<string>();
  for (const category of group) {
    const results = await searchKnowledge(
      scope,
      [kbId],
      QUERIES[category] ?? category,
      PASSAGES_PER_CATEGORY,
    );
    for (const r of results) {
      if (seen.has(r.chunkId)) continue;
      seen.add(r.chunkId);
      passages.push({
        n: passages.length + 1,
        title: r.citation.title,
        text: r.text.slice(0, PASSAGE_CHARS),
        result: r,
      });
    }
  }
  if (passages.length === 0) return {};
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const output = (await callStructured(
    model,
    {
      stage: "extract business profile",
      purpose: `profile: ${group.join(", ")}`,
      name: "business_profile",
      system: PROFILE_SYSTEM,
      task:
        "Extract these profile categories from the passages: " +
        group.map((c) => `${c} (${QUERIES[c]})`).join("; ") +
        ". For hours give one entry per location and weekday.",
      input: {
        categories: group,
        passages: passages.map((p) => ({ n: p.n, title: p.title, text: p.text })),
      },
      schema: profileExtractionSchema(group),
    },
    log,
    signal,
  )) as Record<string, unknown>;

  // Only facts that cite a passage actually shown are kept with a citation; the rest keep none.
  const fact = (f: ModelFact) => ({ text: f.text, citation: citationOf(byNumber.get(f.passage)) });
  const out: Record<string, unknown> = {};
  for (const category of group) {
    const value = output[category];
    if (category === "businessName" || category === "description") {
      out[category] = value ? fact(value as ModelFact) : null;
    } else if (category === "hours") {
      out.hours = (
        value as { location: string; weekday: string; opens: string; closes: string; passage: number }[]
      ).map((h) => ({
        location: h.location,
        weekday: h.weekday,
        opens: h.opens,
        closes: h.closes,
        citation: citationOf(byNumber.get(h.passage)),
      }));
    } else {
      out[category] = (value as ModelFact[]).map(fact);
    }
  }
  return out as Partial<BusinessProfile>;
}

/** Builds the business profile from an indexed knowledge base, every fact with its citation. */
export async function extractBusinessProfile(
  scope: OrgScope,
  kbId: string,
  model: LanguageModel,
  log: ModelCallRecord[],
  signal: AbortSignal,
): Promise<BusinessProfile> {
  const parts = await Promise.all(GROUPS.map((g) => extractGroup(scope, kbId, model, g, log, signal)));
  return Object.assign(emptyProfile(), ...parts);
}

const LABELS: Record<string, string> = {
  hours: "Hours",
  locations: "Locations",
  contact: "Contact",
  serviceArea: "Service area",
  services: "Services",
  prices: "Prices and fees",
  booking: "Booking",
  cancellation: "Cancellation and rescheduling",
  payment: "Payment methods",
  discounts: "Discounts",
  warranties: "Warranties and guarantees",
  policies: "Policies",
  emergencies: "Emergencies and safety",
  staff: "Staff and credentials",
  languagesAccessibility: "Languages and accessibility",
  faqs: "FAQs",
  escalationContacts: "Escalation contacts",
};

export const PROFILE_BLOCK_START = "<business-profile>";
export const PROFILE_BLOCK_END = "</business-profile>";
const MAX_FACTS_RENDERED = 12;
const MAX_PROFILE_CHARS = 20_000;

function source(c: FactCitation | null): string {
  if (!c) return "";
  return ` [${c.title}${c.page ? `, p. ${c.page}` : ""}]`;
}

/** The profile as the context block an agent reads in its instructions. */
export function renderProfile(profile: BusinessProfile): string {
  const lines = [PROFILE_BLOCK_START, "Business profile (verified facts; cite the source when you use one):"];
  if (profile.businessName) lines.push(`Name: ${profile.businessName.text}`);
  if (profile.description) lines.push(`About: ${profile.description.text}`);
  if (profile.hours.length) {
    lines.push("Hours:");
    for (const h of profile.hours.slice(0, 40))
      lines.push(`- ${h.location} — ${h.weekday}: ${h.opens}–${h.closes}${source(h.citation)}`);
  }
  for (const key of CATEGORY_KEYS) {
    const facts = profile[key];
    if (!facts.length) continue;
    lines.push(`${LABELS[key]}:`);
    for (const f of facts.slice(0, MAX_FACTS_RENDERED)) lines.push(`- ${f.text}${source(f.citation)}`);
  }
  // Bounded so that the block (and its end marker) always fits in the agent's instructions.
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    size += line.length + 1;
    if (size > MAX_PROFILE_CHARS) break;
    kept.push(line);
  }
  if (kept.length < lines.length) kept.push("(More facts are in the knowledge base.)");
  return [...kept, PROFILE_BLOCK_END].join("\n");
}

const MAX_INSTRUCTIONS = 50_000;

/**
 * Replaces (or appends) the profile block in an agent's instructions, keeping the result
 * within the instructions limit by shortening the text before the block.
 */
export function withProfileBlock(instructions: string, profile: BusinessProfile): string {
  const start = instructions.indexOf(PROFILE_BLOCK_START);
  const end = instructions.indexOf(PROFILE_BLOCK_END);
  const block = renderProfile(profile);
  const found = start >= 0 && end > start;
  const head = found ? instructions.slice(0, start) : `${instructions.trimEnd()}\n\n`;
  const tail = found ? instructions.slice(end + PROFILE_BLOCK_END.length) : "";
  const room = MAX_INSTRUCTIONS - block.length - tail.length;
  return head.slice(0, Math.max(0, room)) + block + tail.slice(0, MAX_INSTRUCTIONS - block.length);
}
