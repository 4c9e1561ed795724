import { ConflictError, NotFoundError, type SessionState } from "@oratio/core";
import { type Channel, type OrgScope, sessionEntries, sessions } from "@oratio/db";
import { asc, eq, sql } from "drizzle-orm";

export type SessionRow = typeof sessions.$inferSelect;
export type EntryRow = typeof sessionEntries.$inferSelect;

export interface NewEntry {
  kind: string;
  role?: string | null;
  agent?: string | null;
  text?: string | null;
  data?: unknown;
  turnId?: string | null;
  audioOffsetMs?: number | null;
}

export async function findSession(scope: OrgScope, id: string): Promise<SessionRow> {
  const [row] = await scope.db
    .select()
    .from(sessions)
    .where(scope.where(sessions, eq(sessions.id, id)));
  if (!row) throw new NotFoundError("Session");
  return row;
}

export function assertOpen(session: SessionRow): void {
  if (session.status === "ended") throw new ConflictError("This session has ended.");
}

export async function listEntries(scope: OrgScope, sessionId: string): Promise<EntryRow[]> {
  return scope.db
    .select()
    .from(sessionEntries)
    .where(scope.where(sessionEntries, eq(sessionEntries.sessionId, sessionId)))
    .orderBy(asc(sessionEntries.seq));
}

/**
 * Appends transcript entries with consecutive sequence numbers, in one statement: each row
 * reads the session's current maximum from the statement's snapshot. Callers serialise
 * writes per session (one turn at a time); the unique (session, seq) index rejects a race
 * rather than interleaving.
 */
export async function appendEntries(scope: OrgScope, sessionId: string, entries: NewEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const currentMax = sql`(select coalesce(max(${sessionEntries.seq}), 0) from ${sessionEntries} where ${sessionEntries.sessionId} = ${sessionId})`;
  await scope.db.insert(sessionEntries).values(
    entries.map((e, i) => ({
      orgId: scope.orgId,
      sessionId,
      seq: sql`${currentMax} + ${i + 1}`,
      kind: e.kind,
      role: e.role ?? null,
      agent: e.agent ?? null,
      text: e.text ?? null,
      data: e.data ?? {},
      turnId: e.turnId ?? null,
      audioOffsetMs: e.audioOffsetMs ?? null,
    })),
  );
}

/** A session's status only: the cheap check a route makes before it starts streaming. */
export async function sessionStatus(scope: OrgScope, id: string): Promise<string> {
  const [row] = await scope.db
    .select({ status: sessions.status })
    .from(sessions)
    .where(scope.where(sessions, eq(sessions.id, id)));
  if (!row) throw new NotFoundError("Session");
  return row.status;
}

export async function insertSession(
  scope: OrgScope,
  values: {
    agentId: string;
    agentVersion: number;
    pinnedVersions: Record<string, number>;
    channel: Channel;
    metadata: Record<string, unknown>;
    caller: string | null;
    state: SessionState;
  },
): Promise<SessionRow> {
  const [row] = await scope.db
    .insert(sessions)
    .values({ orgId: scope.orgId, ...values, activeAgent: values.state.activeAgent })
    .returning();
  return row!;
}
