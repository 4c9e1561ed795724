import { ConflictError, NotFoundError, type SessionState } from "@oratio/core";
import { type Channel, type OrgScope, sessionEntries, sessions } from "@oratio/db";
import { asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";

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

/** Entries as the records `jsonb_to_recordset` expands, `i` counting from 1 in order. */
export function entryRecords(entries: NewEntry[]) {
  return entries.map((e, i) => ({
    i: i + 1,
    kind: e.kind,
    role: e.role ?? null,
    agent: e.agent ?? null,
    text: e.text ?? null,
    data: e.data ?? {},
    turn_id: e.turnId ?? null,
    audio_offset_ms: e.audioOffsetMs ?? null,
  }));
}

/**
 * Entries as one JSON parameter expanded by `jsonb_to_recordset`, numbered after the
 * session's current last entry. Callers serialise writes per session; the unique
 * (session, seq) index turns a race into an error rather than an interleaving.
 */
export function insertEntriesSql(scope: OrgScope, sessionId: string, entries: NewEntry[]): SQL {
  const records = entryRecords(entries);
  return sql`insert into ${sessionEntries}
      (org_id, session_id, seq, kind, role, agent, text, data, turn_id, audio_offset_ms)
    select ${scope.orgId}::uuid, ${sessionId}::uuid, last.seq + e.i, e.kind, e.role, e.agent, e.text,
      e.data, e.turn_id, e.audio_offset_ms
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
      as e(i int, kind text, role text, agent text, text text, data jsonb, turn_id text, audio_offset_ms int)
    cross join (select coalesce(max(seq), 0) as seq from ${sessionEntries}
      where session_id = ${sessionId}::uuid) as last`;
}

/** Appends transcript entries with consecutive sequence numbers, in one statement. */
export async function appendEntries(scope: OrgScope, sessionId: string, entries: NewEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await scope.db.execute(insertEntriesSql(scope, sessionId, entries));
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
): Promise<SessionRow & { rowVersion: string }> {
  const [row] = await scope.db
    .insert(sessions)
    .values({ orgId: scope.orgId, ...values, activeAgent: values.state.activeAgent })
    .returning({
      ...getTableColumns(sessions),
      // The row version the session cache compares (see session-cache.ts).
      rowVersion: sql<string>`xmin::text || '/' || ctid::text`,
    });
  return row!;
}

const sessionColumns = Object.entries(getTableColumns(sessions));

/**
 * Maps a raw `sessions` row (snake_case, driver values) to the shape Drizzle selects
 * return; columns the row lacks are left out.
 */
export function toSessionRow(raw: Record<string, unknown>): SessionRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of sessionColumns) {
    if (!(column.name in raw)) continue;
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as SessionRow;
}
