import { z } from "@hono/zod-openapi";
import { BusinessProfileSchema, ProcedureSchema } from "../../builder/schemas.ts";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";
import { RejectedFileSchema } from "../knowledge/knowledge.schemas.ts";

const tags = ["Agent builder"];
const read = { role: "viewer", scope: "agents:read" } as const;
const write = { role: "member", scope: "agents:write" } as const;

const fileOrFiles = z
  .union([z.instanceof(File), z.array(z.instanceof(File))])
  .openapi({ type: "array", items: { type: "string", format: "binary" } });

export const GenerateForm = z.object({
  name: z.string().trim().min(1).max(100).openapi({ example: "Harborview Family Dental" }),
  sop: z.union([z.string().trim().min(1, "The SOP is empty.").max(200_000), z.instanceof(File)]).openapi({
    type: "string",
    description: "The standard operating procedure, as text or as a file (MD, TXT, PDF, DOCX, HTML)",
  }),
  files: fileOrFiles.optional(),
  websiteUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  language: z.string().trim().min(2).max(20).default("en"),
  providerId: z.string().trim().min(1).max(100).optional(),
  model: z.string().trim().min(1).max(200).optional(),
});

export const generateAgents = defineRoute(write, {
  method: "post",
  path: "/agents/generate",
  tags,
  summary: "Generate agents from an SOP, documents and a website",
  description:
    "Starts the agent builder: documents are ingested and the site crawled into a new knowledge base while " +
    "the SOP is parsed; then the business profile is extracted, one agent per SOP role is drafted, reviewed " +
    "and refined, and the agents are created as unpublished drafts with handoffs and a starter test suite. " +
    "Follow progress (by stage) at /jobs/{jobId} or its SSE stream; the job's result is " +
    "`{agentIds, reportId}` and the report is at /agents/generation-reports/{reportId}. Files are checked " +
    "like knowledge uploads: foreign (415), oversize (413) or damaged (422) files are listed in `rejected`. " +
    "Without `providerId`/`model` the organization's first provider (its `options.defaultModel`) is used, " +
    "else a local model from the model store.",
  request: { body: { content: { "multipart/form-data": { schema: GenerateForm } } } },
  responses: {
    202: {
      description: "Accepted; follow the job",
      content: {
        "application/json": {
          schema: z.object({
            jobId: z.uuid(),
            reportId: z.uuid(),
            knowledgeBaseId: z.uuid(),
            model: z.object({ providerId: z.string(), model: z.string() }),
            rejected: z.array(RejectedFileSchema),
          }),
        },
      },
    },
    422: { description: "No model to build with, or the SOP file could not be read" },
  },
});

export const GenerationReportSchema = z
  .object({
    id: z.uuid(),
    jobId: z.uuid().nullable(),
    name: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    agentIds: z.array(z.uuid()),
    knowledgeBaseId: z.uuid().nullable(),
    report: z.record(z.string(), z.unknown()).openapi({
      description:
        "stages (name, status, startMs, ms, detail), totalMs, model, modelCalls (stage, purpose, attempt, " +
        "inputChars, outputChars, inputTokens, outputTokens, ms, valid), modelCallTotals, agents (role, slug, " +
        "version, reviewCycles with findings and changed fields, suggestedTools), uncovered SOP items",
    }),
    createdAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .openapi("GenerationReport");

export const getGenerationReport = defineRoute(read, {
  method: "get",
  path: "/agents/generation-reports/{id}",
  tags,
  summary: "The report of one agent generation",
  request: { params: IdParam },
  responses: {
    200: { description: "Report", content: { "application/json": { schema: GenerationReportSchema } } },
  },
});

const ProfileResponse = z
  .object({
    agentId: z.uuid(),
    profile: BusinessProfileSchema,
    version: z.number().int().openapi({ description: "The agent version that carries this profile" }),
    updatedAt: Timestamp,
  })
  .openapi("AgentBusinessProfile");

export const getProfile = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/profile",
  tags,
  summary: "The agent's business profile (facts with citations)",
  request: { params: IdParam },
  responses: {
    200: { description: "Profile", content: { "application/json": { schema: ProfileResponse } } },
  },
});

export const putProfile = defineRoute(write, {
  method: "put",
  path: "/agents/{id}/profile",
  tags,
  summary: "Replace the agent's business profile",
  description:
    "The profile is rendered into the agent's instructions as its business-profile context block; saving " +
    "creates a new draft version (publish it to put it live).",
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: BusinessProfileSchema } } },
  },
  responses: { 200: { description: "Saved", content: { "application/json": { schema: ProfileResponse } } } },
});

export const listProcedures = defineRoute(read, {
  method: "get",
  path: "/agents/{id}/procedures",
  tags,
  summary: "The SOP procedures (intents) the agent handles, each citing its SOP passage",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Procedures",
      content: { "application/json": { schema: z.object({ data: z.array(ProcedureSchema) }) } },
    },
  },
});
