import { type Http, type RequestOptions, segment } from "../http.ts";
import { appendUpload, type UploadFile } from "./form-data.ts";
import type { RawTransport } from "./raw.ts";

/** Where a profile fact came from: a passage of an ingested document or crawled page. */
export interface FactCitation {
  documentId: string;
  title: string;
  url: string | null;
  page: number | null;
  excerpt: string;
}

export interface Fact {
  text: string;
  citation: FactCitation | null;
}

export interface HoursFact {
  location: string;
  weekday: string;
  opens: string;
  closes: string;
  citation: FactCitation | null;
}

/** The profile's fixed categories of facts, besides the name, description and hours. */
export const PROFILE_CATEGORIES = [
  "locations",
  "contact",
  "serviceArea",
  "services",
  "prices",
  "booking",
  "cancellation",
  "payment",
  "discounts",
  "warranties",
  "policies",
  "emergencies",
  "staff",
  "languagesAccessibility",
  "faqs",
  "escalationContacts",
] as const;
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

/** What the builder read about the business, each fact with its citation; agents read it as context. */
export type BusinessProfile = {
  businessName: Fact | null;
  description: Fact | null;
  hours: HoursFact[];
} & Record<ProfileCategory, Fact[]>;

export interface AgentProfile {
  agentId: string;
  profile: BusinessProfile;
  /** The agent version that carries this profile. */
  version: number;
  updatedAt: string;
}

/** One intent of the SOP an agent handles, citing the SOP passage it came from. */
export interface Procedure {
  intent: string;
  role: string;
  steps: string[];
  collect: string[];
  decisionRules: string[];
  forbidden: string[];
  escalation: string[];
  handoffTargets: string[];
  exampleRequest: string;
  mustMention: string[];
  citation: { passage: number; heading: string; excerpt: string };
}

export type GenerationStageStatus = "pending" | "running" | "done" | "failed" | "skipped";

export interface GenerationStage {
  name: string;
  status: GenerationStageStatus;
  /** Milliseconds after the generation started. */
  startMs: number | null;
  ms: number | null;
  detail?: Record<string, unknown>;
}

/** The generation job's `progress`: every stage, the ones running now, and ingestion/crawl counters. */
export interface GenerationProgress {
  stages?: GenerationStage[];
  current?: string[];
  ingest?: Record<string, unknown>;
  crawl?: Record<string, unknown>;
}

export interface ReviewFinding {
  kind: "coverage" | "contradiction" | "missing-escalation" | "unsafe-promise" | "other";
  severity: "high" | "medium" | "low";
  intent: string | null;
  detail: string;
  suggestion: string;
}

export interface ReviewCycle {
  cycle: number;
  findings: ReviewFinding[];
  /** Parts of the draft the refinement changed. */
  changed: string[];
}

export interface GeneratedAgentSummary {
  agentId: string;
  role: string;
  slug: string;
  version: number;
  /** The agent that answers first. */
  entry: boolean;
  builtInTools: string[];
  suggestedTools: {
    name: string;
    description: string;
    parameters: { name: string; type: string; required: boolean }[];
  }[];
  reviewCycles: ReviewCycle[];
}

export interface GenerationReport {
  id: string;
  jobId: string | null;
  name: string;
  status: "running" | "succeeded" | "failed";
  agentIds: string[];
  knowledgeBaseId: string | null;
  report: {
    model?: string;
    stages?: GenerationStage[];
    totalMs?: number;
    modelCallTotals?: {
      count: number;
      inputTokens: number;
      outputTokens: number;
      ms: number;
    };
    agents?: GeneratedAgentSummary[];
    procedures?: number;
    tests?: number;
    profileFacts?: number;
    uncovered?: { item: string; reason: string }[];
    error?: string;
    [key: string]: unknown;
  };
  createdAt: string;
  finishedAt: string | null;
}

export interface GenerateInput {
  /** The business (or agent set) name; the new knowledge base is named after it. */
  name: string;
  /** The standard operating procedure as text, or as a file (MD, TXT, PDF, DOCX, HTML). */
  sop: string | UploadFile;
  /** Documents to ingest into the agents' knowledge base. */
  files?: UploadFile[];
  /** A website to crawl into the knowledge base. */
  websiteUrl?: string;
  language?: string;
  /** The model to build with (and give the agents); without it the organization's default. */
  providerId?: string;
  model?: string;
}

export interface GenerateResult {
  jobId: string;
  reportId: string;
  knowledgeBaseId: string;
  model: { providerId: string; model: string };
  /** Files refused on arrival (wrong type, too large, damaged); the rest were taken. */
  rejected: { name: string; status: number; error: string }[];
}

/** The agent builder: from an SOP, documents and a website to reviewed, unpublished agents. */
export function builderResource(http: Http, raw: RawTransport) {
  const agent = (id: string) => `/agents/${segment(id)}`;
  return {
    /** Starts a generation job; follow it with `jobs.watch(jobId)`, then read the report. */
    async generate(input: GenerateInput, options?: RequestOptions): Promise<GenerateResult> {
      const form = new FormData();
      form.append("name", input.name);
      if (typeof input.sop === "string") form.append("sop", input.sop);
      else appendUpload(form, "sop", input.sop);
      for (const file of input.files ?? []) appendUpload(form, "files", file);
      for (const key of ["websiteUrl", "language", "providerId", "model"] as const) {
        const value = input[key];
        if (value) form.append(key, value);
      }
      const response = await raw.request("POST", "/agents/generate", { ...options, body: form });
      return (await response.json()) as GenerateResult;
    },
    report(id: string, options?: RequestOptions): Promise<GenerationReport> {
      return http.get<GenerationReport>(`/agents/generation-reports/${segment(id)}`, options);
    },
    profile(agentId: string, options?: RequestOptions): Promise<AgentProfile> {
      return http.get<AgentProfile>(`${agent(agentId)}/profile`, options);
    },
    /** Replaces the profile; the agent gets a new draft version carrying it. */
    updateProfile(
      agentId: string,
      profile: BusinessProfile,
      options?: RequestOptions,
    ): Promise<AgentProfile> {
      return http.send<AgentProfile>("PUT", `${agent(agentId)}/profile`, { ...options, body: profile });
    },
    async procedures(agentId: string, options?: RequestOptions): Promise<Procedure[]> {
      return (await http.get<{ data: Procedure[] }>(`${agent(agentId)}/procedures`, options)).data;
    },
  };
}
