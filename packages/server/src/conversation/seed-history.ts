import { type ConversationMessage, messageId, type SessionState } from "@oratio/core";
import { OrgScope, sessions } from "@oratio/db";
import { eq } from "drizzle-orm";
import { sessionCacheFor } from "./session-cache.ts";
import { appendEntries, findSession } from "./session-store.ts";

/** A turn the client already holds, replayed so the agent answers in its context. */
export interface HistoryMessage {
  role: "user" | "assistant";
  text: string;
}

/**
 * Gives a new session the conversation a stateless client (an OpenAI-style caller that
 * resends the whole history every time) already had: the messages become the agent's
 * context and are written to the transcript marked as replayed. The client's history is
 * what the caller saw, so it replaces the greeting in the agent's context.
 *
 * Call it only on a session nobody else can reach yet (just created in the same request):
 * it writes the state without taking the session's turn lock.
 */
export async function seedHistory(
  scope: OrgScope,
  sessionId: string,
  history: HistoryMessage[],
): Promise<void> {
  if (history.length === 0) return;
  const session = await findSession(scope, sessionId);
  const state = session.state as SessionState;
  const at = Date.now();
  const messages: ConversationMessage[] = history.map((m) =>
    m.role === "user"
      ? { id: messageId(), role: "user", content: m.text, at }
      : { id: messageId(), role: "assistant", content: m.text, agent: state.activeAgent, at },
  );
  const seeded: SessionState = { ...state, messages, context: { fromIndex: 0 } };
  // The row changes outside the conversation service: its cached copy is dropped.
  const cache = sessionCacheFor(scope.db);
  cache.forget(sessionId);
  await scope.db.transaction(async (tx) => {
    const txScope = new OrgScope(tx, scope.orgId);
    await appendEntries(
      txScope,
      sessionId,
      history.map((m) => ({
        kind: "message",
        role: m.role,
        agent: m.role === "assistant" ? state.activeAgent : null,
        text: m.text,
        data: { replayed: true },
      })),
    );
    await tx
      .update(sessions)
      .set({ state: seeded })
      .where(scope.where(sessions, eq(sessions.id, sessionId)));
  });
  cache.forget(sessionId);
}
