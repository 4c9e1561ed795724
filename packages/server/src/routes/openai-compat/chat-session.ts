import type { z } from "@hono/zod-openapi";
import { ValidationError } from "@oratio/core";
import { type OrgScope, sessions } from "@oratio/db";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { ConversationService } from "../../conversation/conversation-service.ts";
import { type HistoryMessage, seedHistory } from "../../conversation/seed-history.ts";
import { assertOpen, findSession, type SessionRow } from "../../conversation/session-store.ts";
import type { AgentRow } from "./agent-models.ts";
import type { ChatMessageSchema } from "./openai-compat.routes.ts";

type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Metadata key under which a session remembers the OpenAI `user` it belongs to. */
export const USER_METADATA_KEY = "openaiUser";

function textOf(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return (content ?? []).map((part) => part.text).join("");
}

/**
 * Splits an OpenAI message list into the caller's new message (the last one, which must
 * be the user's) and the earlier user/assistant turns. System and developer messages are
 * dropped (the agent's instructions govern); tool messages are refused because the agent
 * runs its own tools and never hands tool calls to the client.
 */
export function splitMessages(messages: ChatMessage[]): { text: string; history: HistoryMessage[] } {
  const last = messages.at(-1)!;
  const lastIndex = messages.length - 1;
  if (last.role !== "user") {
    throw new ValidationError("The last message must be the user's.", [
      { path: `body.messages.${lastIndex}.role`, message: "Expected `user`" },
    ]);
  }
  const text = textOf(last).trim();
  if (!text) {
    throw new ValidationError("The last user message is empty.", [
      { path: `body.messages.${lastIndex}.content`, message: "Must contain text" },
    ]);
  }
  const history: HistoryMessage[] = [];
  messages.slice(0, -1).forEach((m, i) => {
    if (m.role === "tool" || m.role === "function") {
      throw new ValidationError("The agent runs its own tools; tool messages cannot be sent.", [
        { path: `body.messages.${i}.role`, message: "Tool messages are not accepted" },
      ]);
    }
    if (m.role !== "user" && m.role !== "assistant") return;
    const content = textOf(m).trim();
    if (content) history.push({ role: m.role, text: content });
  });
  return { text, history };
}

/**
 * The session a chat completion runs in: the one named by `X-Oratio-Session-Id`, else the
 * open session of this `user` with this agent, else a new `api` session seeded with the
 * request's history. A continued session keeps its own history; `messages` only supplies
 * the new user message.
 */
export async function resolveChatSession(
  conversations: ConversationService,
  scope: OrgScope,
  agent: AgentRow,
  request: { sessionId?: string; user?: string; history: HistoryMessage[] },
): Promise<SessionRow> {
  if (request.sessionId) {
    const session = await findSession(scope, request.sessionId);
    if (session.agentId !== agent.id) {
      throw new ValidationError("The session named in X-Oratio-Session-Id belongs to another model.", [
        { path: "header.x-oratio-session-id", message: "Belongs to another agent" },
      ]);
    }
    assertOpen(session);
    return session;
  }
  if (request.user) {
    const [existing] = await scope.db
      .select()
      .from(sessions)
      .where(
        scope.where(
          sessions,
          and(
            eq(sessions.agentId, agent.id),
            eq(sessions.channel, "api"),
            ne(sessions.status, "ended"),
            sql`${sessions.metadata}->>${USER_METADATA_KEY} = ${request.user}`,
          ),
        ),
      )
      .orderBy(desc(sessions.lastActivityAt))
      .limit(1);
    if (existing) return existing;
  }
  const session = await conversations.createSession(scope, {
    agentId: agent.id,
    channel: "api",
    metadata: request.user ? { [USER_METADATA_KEY]: request.user } : {},
    caller: request.user,
  });
  await seedHistory(scope, session.id, request.history);
  return session;
}
