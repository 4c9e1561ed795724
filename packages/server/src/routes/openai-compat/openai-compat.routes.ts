import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";
import { OPENAI_ERROR_RESPONSES } from "./openai-errors.ts";

const tags = ["OpenAI-compatible"];
const chat = { role: "member", scope: "sessions:write" } as const;
// Listing what one may talk to is part of talking: a key with `sessions:write` (which
// implies read) can list models without also needing `agents:read`.
const list = { role: "viewer", scope: "sessions:read" } as const;

const MAX_TEXT = 20_000;

const TextPart = z.object({
  type: z.literal("text", { error: "Only text content parts are supported." }),
  text: z.string().max(MAX_TEXT),
});

export const ChatMessageSchema = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
    content: z
      .union([z.string().max(MAX_TEXT), z.array(TextPart).max(50)])
      .nullable()
      .optional(),
    name: z.string().max(200).optional(),
  })
  .openapi("OpenAiChatMessage");

export const ChatCompletionRequest = z
  .object({
    model: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .openapi({ description: "The agent's slug or id (see GET /v1/models)", example: "receptionist" }),
    messages: z.array(ChatMessageSchema).min(1).max(500).openapi({
      description:
        "The conversation so far; the last message must be the user's. Earlier user and assistant messages are replayed as the agent's context when a new session starts. System and developer messages are ignored: the agent's own instructions apply.",
    }),
    stream: z.boolean().nullable().optional(),
    stream_options: z
      .object({ include_usage: z.boolean().optional() })
      .nullable()
      .optional()
      .openapi({ description: "`include_usage: true` adds a last chunk with token usage" }),
    user: z.string().trim().min(1).max(200).optional().openapi({
      description:
        "A stable id of the end user: requests with the same `user` and model continue that user's open session instead of replaying `messages`.",
    }),
    n: z.literal(1, { error: "Only one choice (n = 1) is supported." }).nullable().optional(),
    tools: z
      .array(z.unknown())
      .max(0, { error: "The agent runs its own tools; `tools` cannot be supplied here." })
      .nullable()
      .optional(),
  })
  .openapi("ChatCompletionRequest", {
    description:
      "Other OpenAI parameters (temperature, max_tokens, stop, …) are accepted and ignored: the agent's configuration decides them.",
  });

const Usage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string(),
          refusal: z.null(),
        }),
        logprobs: z.null(),
        finish_reason: z.enum(["stop", "length"]),
      }),
    ),
    usage: Usage,
  })
  .openapi("ChatCompletion");

const SessionHeader = z.object({
  "x-oratio-session-id": z
    .uuid()
    .optional()
    .openapi({ description: "Continue this session (of the same agent) instead of starting one" }),
});

export const createChatCompletion = defineRoute(chat, {
  method: "post",
  path: "/chat/completions",
  tags,
  summary: "Talk to an agent through the OpenAI Chat Completions protocol",
  description:
    "`model` names the agent; the API key picks the organization. The agent runs its own tools, knowledge search and handoffs internally; the answer is its reply. With `stream: true` the reply comes as `chat.completion.chunk` server-sent events ending with `data: [DONE]`. The response's `X-Oratio-Session-Id` header names the session, which the next request may continue.",
  request: {
    headers: SessionHeader,
    body: { content: { "application/json": { schema: ChatCompletionRequest } } },
  },
  responses: {
    ...OPENAI_ERROR_RESPONSES,
    200: {
      description: "The agent's reply (or a stream of chunks)",
      content: {
        "application/json": { schema: ChatCompletionSchema },
        "text/event-stream": { schema: z.string() },
      },
    },
  },
});

export const ModelSchema = z
  .object({
    id: z.string().openapi({ description: "The agent's slug" }),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
  })
  .openapi("OpenAiModel");

export const listModels = defineRoute(list, {
  method: "get",
  path: "/models",
  tags,
  summary: "The organization's published agents, as OpenAI models",
  responses: {
    ...OPENAI_ERROR_RESPONSES,
    200: {
      description: "Models",
      content: {
        "application/json": {
          schema: z.object({ object: z.literal("list"), data: z.array(ModelSchema) }),
        },
      },
    },
  },
});

export const getModel = defineRoute(list, {
  method: "get",
  path: "/models/{model}",
  tags,
  summary: "One published agent, as an OpenAI model",
  request: {
    params: z.object({
      model: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "model", in: "path" } }),
    }),
  },
  responses: {
    ...OPENAI_ERROR_RESPONSES,
    200: { description: "Model", content: { "application/json": { schema: ModelSchema } } },
  },
});
