import { z } from "zod";

/**
 * Shapes the builder asks models for (kept free of optional fields and formats so that a
 * grammar-constrained local model can follow them) and the shapes it stores.
 */

// ── Business profile ────────────────────────────────────────────────────────────────────

/** Where a fact came from: a passage of an ingested document or crawled page. */
export const CitationSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  page: z.number().int().nullable(),
  excerpt: z.string(),
});
export type FactCitation = z.infer<typeof CitationSchema>;

export const FactSchema = z.object({
  text: z.string().min(1).max(1000),
  citation: CitationSchema.nullable(),
});
export type Fact = z.infer<typeof FactSchema>;

export const HoursFactSchema = z.object({
  location: z.string().max(200),
  weekday: z.string().max(40),
  opens: z.string().max(40),
  closes: z.string().max(40),
  citation: CitationSchema.nullable(),
});
export type HoursFact = z.infer<typeof HoursFactSchema>;

/** The fixed categories of a profile (besides name, description and hours), with what each holds. */
export const PROFILE_CATEGORIES = {
  locations: "office locations and addresses",
  contact: "phone numbers, email, contact channels",
  serviceArea: "service area, who is served",
  services: "services and treatments offered",
  prices: "prices and fees",
  booking: "how to book appointments, scheduling",
  cancellation: "cancellation and rescheduling policy",
  payment: "payment methods, insurance accepted",
  discounts: "discounts, membership plans, promotions",
  warranties: "warranties and guarantees",
  policies: "other policies",
  emergencies: "emergencies and safety, after-hours",
  staff: "staff, dentists, credentials",
  languagesAccessibility: "languages spoken and accessibility",
  faqs: "frequently asked questions",
  escalationContacts: "escalation contacts: managers, billing, who to call",
} as const;
export type ProfileCategory = keyof typeof PROFILE_CATEGORIES;
export const CATEGORY_KEYS = Object.keys(PROFILE_CATEGORIES) as ProfileCategory[];

export const BusinessProfileSchema = z.object({
  businessName: FactSchema.nullable(),
  description: FactSchema.nullable(),
  hours: z.array(HoursFactSchema).max(200),
  ...(Object.fromEntries(CATEGORY_KEYS.map((k) => [k, z.array(FactSchema).max(100)])) as Record<
    ProfileCategory,
    z.ZodArray<typeof FactSchema>
  >),
});
export type BusinessProfile = z.infer<typeof BusinessProfileSchema>;

/** What the model returns for facts: the passage number stands in for the citation. */
const ModelFact = z.object({ text: z.string().min(1).max(600), passage: z.number().int().min(1) });
export type ModelFact = z.infer<typeof ModelFact>;

export function profileExtractionSchema(categories: string[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of categories) {
    if (c === "businessName" || c === "description") shape[c] = ModelFact.nullable();
    else if (c === "hours")
      shape[c] = z.array(
        z.object({
          location: z.string(),
          weekday: z.string(),
          opens: z.string(),
          closes: z.string(),
          passage: z.number().int().min(1),
        }),
      );
    else shape[c] = z.array(ModelFact);
  }
  return z.object(shape);
}

// ── SOP → procedures ────────────────────────────────────────────────────────────────────

export const SopParseSchema = z.object({
  roles: z.array(
    z.object({
      name: z.string().min(1).max(100),
      description: z.string().max(1000),
      contact: z.string().max(300).nullable(),
      /** `agent`: an AI agent is drafted for it; `human`: a person reached by escalation. */
      kind: z.enum(["agent", "human"]),
      /** The role that answers first. */
      entry: z.boolean(),
    }),
  ),
  intents: z.array(
    z.object({
      name: z.string().min(1).max(120),
      role: z.string().max(100),
      steps: z.array(z.string()),
      collect: z.array(z.string()),
      decisionRules: z.array(z.string()),
      forbidden: z.array(z.string()),
      escalation: z.array(z.string()),
      handoffTargets: z.array(z.string()),
      /** A typical caller request for this intent, used by the starter tests. */
      exampleRequest: z.string().min(1).max(500),
      /** Short phrases a correct reply contains (e.g. a policy's key term). */
      mustMention: z.array(z.string().max(100)),
      passage: z.number().int().min(1),
    }),
  ),
  escalationRules: z.array(
    z.object({
      condition: z.string().min(1).max(500),
      /** `human`, or the name of a role. */
      target: z.string().max(100),
      exampleRequest: z.string().min(1).max(500),
      passage: z.number().int().min(1),
    }),
  ),
  forbidden: z.array(z.object({ text: z.string().min(1).max(500), passage: z.number().int().min(1) })),
});
export type SopParse = z.infer<typeof SopParseSchema>;

export const SopCitationSchema = z.object({
  passage: z.number().int(),
  heading: z.string(),
  excerpt: z.string(),
});

export const ProcedureSchema = z.object({
  intent: z.string(),
  role: z.string(),
  steps: z.array(z.string()),
  collect: z.array(z.string()),
  decisionRules: z.array(z.string()),
  forbidden: z.array(z.string()),
  escalation: z.array(z.string()),
  handoffTargets: z.array(z.string()),
  exampleRequest: z.string(),
  mustMention: z.array(z.string()),
  citation: SopCitationSchema,
});
export type Procedure = z.infer<typeof ProcedureSchema>;

// ── Draft, review, refine ───────────────────────────────────────────────────────────────

export const BUILT_IN_TOOLS = ["search_knowledge", "request_human", "end_session"] as const;

export const AgentDraftSchema = z.object({
  instructions: z.string().min(20).max(20_000),
  greeting: z.string().max(1000),
  builtInTools: z.array(z.enum(BUILT_IN_TOOLS)),
  suggestedTools: z.array(
    z.object({
      name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
      description: z.string().max(500),
      parameters: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean() })),
    }),
  ),
  handoffs: z.array(z.object({ to: z.string(), when: z.string().max(500) })),
  humanHandoffKeywords: z.array(z.string().max(100)),
  rules: z.array(z.string().max(500)),
});
export type AgentDraft = z.infer<typeof AgentDraftSchema>;

export const FINDING_KINDS = [
  "coverage",
  "contradiction",
  "missing-escalation",
  "unsafe-promise",
  "other",
] as const;

export const ReviewSchema = z.object({
  findings: z.array(
    z.object({
      kind: z.enum(FINDING_KINDS),
      severity: z.enum(["high", "medium", "low"]),
      intent: z.string().nullable(),
      detail: z.string().max(1000),
      suggestion: z.string().max(1000),
    }),
  ),
});
export type Review = z.infer<typeof ReviewSchema>;
export type Finding = Review["findings"][number];

// ── Agent tests ─────────────────────────────────────────────────────────────────────────

export const ExpectationsSchema = z
  .strictObject({
    mustMention: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
    mustNotMention: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
    mustCite: z.boolean().optional(),
    mustCallTool: z.array(z.string().min(1).max(64)).max(10).optional(),
    /** The slug (or id) of the agent the conversation must be handed to. */
    mustHandOffTo: z.string().min(1).max(100).optional(),
    mustRequestHuman: z.boolean().optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0)), {
    message: "Give at least one expectation.",
  });
export type Expectations = z.infer<typeof ExpectationsSchema>;

export const TestCaseInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  turns: z.array(z.string().trim().min(1).max(4000)).min(1).max(20),
  expectations: ExpectationsSchema,
});
export type TestCaseInput = z.infer<typeof TestCaseInputSchema>;
