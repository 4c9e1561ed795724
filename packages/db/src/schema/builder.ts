import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./accounts.ts";
import { agents } from "./agents.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const GENERATION_STATUSES = ["running", "succeeded", "failed"] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

/**
 * One run of the agent builder: what it was given, the stages it went through with their
 * timings, every model call with its size, the reviewer's findings and what they changed.
 */
export const generationReports = pgTable(
  "generation_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    jobId: uuid("job_id"),
    name: text("name").notNull(),
    status: text("status", { enum: GENERATION_STATUSES }).notNull().default("running"),
    agentIds: jsonb("agent_ids").notNull().default([]),
    knowledgeBaseId: uuid("knowledge_base_id"),
    report: jsonb("report").notNull().default({}),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("generation_reports_org_idx").on(t.orgId)],
);

/** The structured business profile an agent reads as context; every fact carries its citation. */
export const businessProfiles = pgTable(
  "business_profiles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    reportId: uuid("report_id").references(() => generationReports.id, { onDelete: "set null" }),
    profile: jsonb("profile").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("business_profiles_agent_key").on(t.agentId),
    index("business_profiles_org_idx").on(t.orgId),
  ],
);

/** SOP procedures (one intent each) parsed by the builder, assigned to the agent that handles them. */
export const sopProcedures = pgTable(
  "sop_procedures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    reportId: uuid("report_id").references(() => generationReports.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    intent: text("intent").notNull(),
    procedure: jsonb("procedure").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sop_procedures_org_idx").on(t.orgId), index("sop_procedures_agent_idx").on(t.agentId)],
);

/** A scripted conversation with expectations, run against an agent version. */
export const agentTestCases = pgTable(
  "agent_test_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    turns: jsonb("turns").notNull(),
    expectations: jsonb("expectations").notNull(),
    /** `builder` for the starter suite, `user` for tests written through the API. */
    origin: text("origin").notNull().default("user"),
    createdAt: createdAt(),
  },
  (t) => [index("agent_test_cases_agent_idx").on(t.orgId, t.agentId)],
);

export const TEST_RUN_STATUSES = ["queued", "running", "passed", "failed", "error"] as const;
export type TestRunStatus = (typeof TEST_RUN_STATUSES)[number];

/** One run of an agent's test suite on one agent version; results hold each test's verdicts and transcript. */
export const agentTestRuns = pgTable(
  "agent_test_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    agentVersion: integer("agent_version").notNull(),
    jobId: uuid("job_id"),
    status: text("status", { enum: TEST_RUN_STATUSES }).notNull().default("queued"),
    passed: integer("passed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    results: jsonb("results").notNull().default([]),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("agent_test_runs_agent_idx").on(t.orgId, t.agentId, t.agentVersion)],
);
