import { sessionEntries, sessions } from "@oratio/db";
import { and, count, desc, eq, exists, gte, ilike, lte } from "drizzle-orm";
import {
  type EntryRow,
  findSession,
  listEntries,
  type SessionRow,
} from "../../conversation/session-store.ts";
import type { ClientEvent } from "../../conversation/stream-events.ts";
import { type Handler, iso } from "../../lib/openapi.ts";
import { busStream } from "../../lib/sse.ts";
import { actorUserId, orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./sessions.routes.ts";

export function sessionDto(s: SessionRow) {
  return {
    id: s.id,
    agentId: s.agentId,
    agentVersion: s.agentVersion,
    activeAgent: s.activeAgent,
    channel: s.channel,
    status: s.status,
    metadata: s.metadata as Record<string, unknown>,
    caller: s.caller,
    turnCount: s.turnCount,
    tokensIn: s.tokensIn,
    tokensOut: s.tokensOut,
    costUsd: s.costUsd,
    endReason: s.endReason,
    startedAt: s.startedAt.toISOString(),
    lastActivityAt: s.lastActivityAt.toISOString(),
    endedAt: iso(s.endedAt),
  };
}

function entryDto(e: EntryRow) {
  return {
    seq: e.seq,
    kind: e.kind,
    role: e.role,
    agent: e.agent,
    text: e.text,
    data: e.data,
    turnId: e.turnId,
    audioOffsetMs: e.audioOffsetMs,
    createdAt: e.createdAt.toISOString(),
  };
}

export const createSession: Handler<typeof routes.createSession> = async (c) => {
  const body = c.req.valid("json");
  const session = await c.get("deps").conversations.createSession(orgOf(c).scope, body);
  return c.json(sessionDto(session), 201);
};

export const postMessage: Handler<typeof routes.postMessage> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const { text } = c.req.valid("json");
  const conversations = c.get("deps").conversations;
  if (!c.req.header("accept")?.includes("text/event-stream")) {
    return c.json(await conversations.sendMessage(scope, id, text), 200);
  }
  // The stream opens only once the session is known to exist and be open, so an unknown
  // or ended session is refused with a problem document; events wait in a queue meanwhile.
  const pending: ClientEvent[] = [];
  let deliver: ((event: ClientEvent) => void) | undefined;
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const turn = conversations.sendMessage(
    scope,
    id,
    text,
    (event) => (deliver ? deliver(event) : pending.push(event)),
    opened,
  );
  await Promise.race([open, turn]);
  // The response body is fed directly: events emitted together (a burst of deltas, a tool
  // call and its result, the end of the turn) leave as one chunk once the emitting task is
  // done, so a model's separate deltas still go out as they come.
  let feed!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      feed = controller;
    },
    cancel() {
      // The client went away; the turn goes on and its transcript keeps what was said.
      closed = true;
    },
  });
  let buffered = "";
  const flush = () => {
    if (buffered && !closed) feed.enqueue(encoder.encode(buffered));
    buffered = "";
  };
  const write = (event: ClientEvent) => {
    if (!buffered) setImmediate(flush);
    // One data line: JSON.stringify escapes every line break; the types are the run loop's own.
    buffered += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  };
  for (const event of pending.splice(0)) write(event);
  deliver = write;
  turn
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      write({
        type: "error",
        agent: "",
        error: { code: "turn-failed", message, retryable: false },
        at: Date.now(),
      });
    })
    .finally(() => {
      flush();
      if (!closed) feed.close();
      closed = true;
    });
  c.header("Content-Type", "text/event-stream");
  c.header("Cache-Control", "no-cache");
  c.header("Connection", "keep-alive");
  c.header("Transfer-Encoding", "chunked");
  return c.newResponse(body, 200);
};

const encoder = new TextEncoder();

export const listSessions: Handler<typeof routes.listSessions> = async (c) => {
  const { scope } = orgOf(c);
  const q = c.req.valid("query");
  const where = scope.where(
    sessions,
    q.agentId ? eq(sessions.agentId, q.agentId) : undefined,
    q.status ? eq(sessions.status, q.status) : undefined,
    q.channel ? eq(sessions.channel, q.channel) : undefined,
    q.from ? gte(sessions.startedAt, new Date(q.from)) : undefined,
    q.to ? lte(sessions.startedAt, new Date(q.to)) : undefined,
    q.q
      ? exists(
          scope.db
            .select({ one: sessionEntries.id })
            .from(sessionEntries)
            .where(
              and(
                eq(sessionEntries.sessionId, sessions.id),
                ilike(sessionEntries.text, `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
              ),
            ),
        )
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    scope.db
      .select()
      .from(sessions)
      .where(where)
      .orderBy(desc(sessions.startedAt))
      .limit(q.limit)
      .offset(q.offset),
    scope.db.select({ n: count() }).from(sessions).where(where),
  ]);
  return c.json({ data: rows.map(sessionDto), total: total?.n ?? 0 }, 200);
};

export const getSession: Handler<typeof routes.getSession> = async (c) => {
  const { scope } = orgOf(c);
  const session = await findSession(scope, c.req.valid("param").id);
  const transcript = await listEntries(scope, session.id);
  return c.json({ ...sessionDto(session), transcript: transcript.map(entryDto) }, 200);
};

export const sessionEvents: Handler<typeof routes.sessionEvents> = async (c) => {
  const { scope, orgId } = orgOf(c);
  const session = await findSession(scope, c.req.valid("param").id);
  return busStream(c, orgId, {
    filter: (event) =>
      (event.data as { sessionId?: string; id?: string }).sessionId === session.id ||
      (event.type.startsWith("session.") && (event.data as { id?: string }).id === session.id),
  });
};

export const endSession: Handler<typeof routes.endSession> = async (c) => {
  const session = await c.get("deps").conversations.end(orgOf(c).scope, c.req.valid("param").id);
  return c.json(sessionDto(session), 200);
};

export const takeoverSession: Handler<typeof routes.takeoverSession> = async (c) => {
  const session = await c
    .get("deps")
    .conversations.takeover(orgOf(c).scope, c.req.valid("param").id, actorUserId(c) ?? "api-key");
  return c.json(sessionDto(session), 200);
};

export const releaseSession: Handler<typeof routes.releaseSession> = async (c) => {
  const session = await c
    .get("deps")
    .conversations.release(orgOf(c).scope, c.req.valid("param").id, actorUserId(c) ?? "api-key");
  return c.json(sessionDto(session), 200);
};

export const operatorMessage: Handler<typeof routes.operatorMessage> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const { text } = c.req.valid("json");
  await c.get("deps").conversations.operatorMessage(scope, id, actorUserId(c) ?? "api-key", text);
  return c.json(sessionDto(await findSession(scope, id)), 200);
};
