import { OratioError } from "@oratio/core";
import { streamSSE } from "hono/streaming";
import type { TurnSummary } from "../../conversation/conversation-service.ts";
import type { ClientEvent } from "../../conversation/stream-events.ts";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { findAgentByModel, listAgentModels, modelDto } from "./agent-models.ts";
import { resolveChatSession, splitMessages } from "./chat-session.ts";
import { chunk, completion, completionMeta, finishReason, usageChunk } from "./completion-format.ts";
import type * as routes from "./openai-compat.routes.ts";
import { toOpenAiError } from "./openai-errors.ts";

export const SESSION_HEADER = "X-Oratio-Session-Id";

/** A turn whose model failed before saying anything is an upstream failure, not an empty answer. */
function turnFailure(summary: TurnSummary, error: ClientEvent | undefined): OratioError | undefined {
  if (summary.reason !== "error" || summary.text) return undefined;
  const message = error?.type === "error" ? error.error.message : "The agent's model failed.";
  return new OratioError(502, "model-error", "The agent's model failed", {
    detail: message,
    retryable: true,
  });
}

function errorData(error: unknown): string {
  const oratio =
    error instanceof OratioError
      ? error
      : new OratioError(500, "internal-error", "Internal server error", {
          detail: "Something went wrong on our side.",
        });
  const problem = { type: `urn:oratio:problem:${oratio.code}`, detail: oratio.detail, errors: oratio.issues };
  return JSON.stringify({ error: toOpenAiError(problem, oratio.status) });
}

export const createChatCompletion: Handler<typeof routes.createChatCompletion> = async (c) => {
  const { scope } = orgOf(c);
  const body = c.req.valid("json");
  const header = c.req.valid("header");
  const { conversations, logger } = c.get("deps");
  const agent = await findAgentByModel(scope, body.model);
  const { text, history } = splitMessages(body.messages);
  const session = await resolveChatSession(conversations, scope, agent, {
    sessionId: header["x-oratio-session-id"],
    user: body.user,
    history,
  });
  c.header(SESSION_HEADER, session.id);
  const meta = completionMeta(body.model);

  if (!body.stream) {
    let lastError: ClientEvent | undefined;
    const summary = await conversations.sendMessage(scope, session.id, text, (event) => {
      if (event.type === "error") lastError = event;
    });
    const failure = turnFailure(summary, lastError);
    if (failure) throw failure;
    return c.json(completion(meta, summary), 200);
  }

  const includeUsage = body.stream_options?.include_usage === true;
  return streamSSE(c, async (stream) => {
    let writes = Promise.resolve();
    const send = (data: string) => {
      writes = writes.then(() => stream.writeSSE({ data })).catch(() => {});
    };
    const sendJson = (value: unknown) => send(JSON.stringify(value));
    sendJson(chunk(meta, { role: "assistant", content: "" }, null, includeUsage));
    let lastError: ClientEvent | undefined;
    try {
      // The turn runs to completion (and is stored) even if the client goes away.
      const summary = await conversations.sendMessage(scope, session.id, text, (event) => {
        if (event.type === "text-delta" && event.text) {
          sendJson(chunk(meta, { content: event.text }, null, includeUsage));
        } else if (event.type === "error") {
          lastError = event;
        }
      });
      const failure = turnFailure(summary, lastError);
      if (failure) {
        send(errorData(failure));
      } else {
        sendJson(chunk(meta, {}, finishReason(summary.reason), includeUsage));
        if (includeUsage) sendJson(usageChunk(meta, summary));
      }
    } catch (error) {
      if (!(error instanceof OratioError)) logger.error({ err: error }, "chat completion stream failed");
      send(errorData(error));
    }
    send("[DONE]");
    await writes;
  });
};

export const listModels: Handler<typeof routes.listModels> = async (c) => {
  const rows = await listAgentModels(orgOf(c).scope);
  return c.json({ object: "list" as const, data: rows.map(modelDto) }, 200);
};

export const getModel: Handler<typeof routes.getModel> = async (c) => {
  const agent = await findAgentByModel(orgOf(c).scope, c.req.valid("param").model);
  return c.json(modelDto(agent), 200);
};
