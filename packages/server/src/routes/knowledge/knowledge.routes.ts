import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam } from "../../lib/openapi.ts";
import {
  DocParams,
  DocumentSchema,
  KnowledgeBaseBody,
  KnowledgeBasePatch,
  KnowledgeBaseSchema,
  RejectedFileSchema,
  SearchResultSchema,
  SourceBody,
  SourceParams,
  SourceSchema,
} from "./knowledge.schemas.ts";

const tags = ["Knowledge"];
const read = { role: "viewer", scope: "knowledge:read" } as const;
const write = { role: "member", scope: "knowledge:write" } as const;
const kbJson = { "application/json": { schema: KnowledgeBaseSchema } };
const accepted = (schema: z.ZodType) => ({
  description: "Accepted; follow the job",
  content: { "application/json": { schema } },
});

export const createKnowledgeBase = defineRoute(write, {
  method: "post",
  path: "/knowledge-bases",
  tags,
  summary: "Create a knowledge base",
  request: { body: { content: { "application/json": { schema: KnowledgeBaseBody } } } },
  responses: { 201: { description: "Created", content: kbJson } },
});

export const listKnowledgeBases = defineRoute(read, {
  method: "get",
  path: "/knowledge-bases",
  tags,
  summary: "Knowledge bases with document and chunk counts",
  responses: {
    200: {
      description: "Knowledge bases",
      content: { "application/json": { schema: z.object({ data: z.array(KnowledgeBaseSchema) }) } },
    },
  },
});

export const getKnowledgeBase = defineRoute(read, {
  method: "get",
  path: "/knowledge-bases/{id}",
  tags,
  summary: "A knowledge base",
  request: { params: IdParam },
  responses: { 200: { description: "Knowledge base", content: kbJson } },
});

export const updateKnowledgeBase = defineRoute(write, {
  method: "patch",
  path: "/knowledge-bases/{id}",
  tags,
  summary: "Rename or describe a knowledge base, or choose its embedding model",
  request: { params: IdParam, body: { content: { "application/json": { schema: KnowledgeBasePatch } } } },
  responses: { 200: { description: "Updated", content: kbJson } },
});

export const deleteKnowledgeBase = defineRoute(write, {
  method: "delete",
  path: "/knowledge-bases/{id}",
  tags,
  summary: "Delete a knowledge base with its documents, sources and index entries",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});

export const uploadDocuments = defineRoute(write, {
  method: "post",
  path: "/knowledge-bases/{id}/documents",
  tags,
  summary: "Upload documents (PDF, DOCX, TXT, Markdown, HTML, CSV) for indexing",
  description:
    "Each file is checked on arrival: unsupported types (415), oversize files (413) and damaged or encrypted files (422) are listed in `rejected` while the rest of the batch is indexed by a background job. If every file is rejected, the answer is that problem.",
  request: {
    params: IdParam,
    body: {
      content: {
        "multipart/form-data": {
          schema: z.object({
            files: z
              .union([z.instanceof(File), z.array(z.instanceof(File))])
              .openapi({ type: "array", items: { type: "string", format: "binary" } }),
          }),
        },
      },
    },
  },
  responses: {
    202: accepted(
      z.object({
        jobId: z.uuid(),
        documents: z.array(z.object({ id: z.uuid(), name: z.string(), status: z.string() })),
        rejected: z.array(RejectedFileSchema),
      }),
    ),
    413: { description: "Every file was too large" },
    415: { description: "No file was of a supported type" },
    422: { description: "Every file was damaged, encrypted or empty" },
  },
});

export const listDocuments = defineRoute(read, {
  method: "get",
  path: "/knowledge-bases/{id}/documents",
  tags,
  summary: "Documents with their status, pages, chunks and errors",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Documents",
      content: { "application/json": { schema: z.object({ data: z.array(DocumentSchema) }) } },
    },
  },
});

export const deleteDocument = defineRoute(write, {
  method: "delete",
  path: "/knowledge-bases/{id}/documents/{docId}",
  tags,
  summary: "Delete a document; it leaves the index at once",
  request: { params: DocParams },
  responses: { 204: { description: "Deleted" } },
});

export const addSource = defineRoute(write, {
  method: "post",
  path: "/knowledge-bases/{id}/sources",
  tags,
  summary: "Add a website (crawled) or a single URL as a source",
  request: { params: IdParam, body: { content: { "application/json": { schema: SourceBody } } } },
  responses: { 202: accepted(z.object({ jobId: z.uuid(), sourceId: z.uuid() })) },
});

export const listSources = defineRoute(read, {
  method: "get",
  path: "/knowledge-bases/{id}/sources",
  tags,
  summary: "Website and URL sources",
  request: { params: IdParam },
  responses: {
    200: {
      description: "Sources",
      content: { "application/json": { schema: z.object({ data: z.array(SourceSchema) }) } },
    },
  },
});

export const syncSource = defineRoute(write, {
  method: "post",
  path: "/knowledge-bases/{id}/sources/{sourceId}/sync",
  tags,
  summary: "Re-sync a source: changed pages re-indexed, vanished pages removed",
  request: { params: SourceParams },
  responses: { 202: accepted(z.object({ jobId: z.uuid(), sourceId: z.uuid() })) },
});

export const deleteSource = defineRoute(write, {
  method: "delete",
  path: "/knowledge-bases/{id}/sources/{sourceId}",
  tags,
  summary: "Delete a source and the documents it brought in",
  request: { params: SourceParams },
  responses: { 204: { description: "Deleted" } },
});

export const searchKnowledgeBase = defineRoute(read, {
  method: "post",
  path: "/knowledge-bases/{id}/search",
  tags,
  summary: "Search a knowledge base; results carry citations",
  request: {
    params: IdParam,
    body: {
      content: {
        "application/json": {
          schema: z.strictObject({
            query: z.string().trim().min(1).max(1000).openapi({ example: "do you take my insurance" }),
            topK: z.number().int().min(1).max(50).default(5),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Results",
      content: { "application/json": { schema: z.object({ results: z.array(SearchResultSchema) }) } },
    },
  },
});
