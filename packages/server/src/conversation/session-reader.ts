import { NotFoundError } from "@oratio/core";
import { type Database, type OrgScope, runPrepared } from "@oratio/db";
import {
  type CachedSession,
  ROW_VERSION_SQL,
  SESSION_COLUMNS_WITHOUT_STATE,
  sessionCacheFor,
} from "./session-cache.ts";
import { findSession, type SessionRow, toSessionRow } from "./session-store.ts";

/**
 * Reads the sessions turns start from. On PostgreSQL every turn checks its session's row
 * version (see session-cache.ts); turns starting together share one statement, as their
 * commits do (turn-store.ts): one round trip for many sessions when the server is busy,
 * no added wait when it is not.
 */

const readSessions = {
  name: "oratio_sessions_for_turns",
  text: `select i.id as requested_id, ${ROW_VERSION_SQL.replaceAll("xmin", "s.xmin").replaceAll("ctid", "s.ctid")}
        as row_version,
      ${SESSION_COLUMNS_WITHOUT_STATE.split(", ")
        .map((c) => `s.${c}`)
        .join(", ")},
      case when ${ROW_VERSION_SQL.replaceAll("xmin", "s.xmin").replaceAll("ctid", "s.ctid")} = i.version
        then null else s.state end as state
    from unnest($1::uuid[], $2::uuid[], $3::text[]) as i(id, org_id, version)
    join sessions s on s.id = i.id and s.org_id = i.org_id`,
  types: ["uuid[]", "uuid[]", "text[]"],
};

interface PendingRead {
  scope: OrgScope;
  sessionId: string;
  cached: CachedSession | undefined;
  resolve(row: SessionRow): void;
  reject(error: unknown): void;
}

const queues = new Map<Database, PendingRead[]>();

/**
 * The session a turn starts from, scoped to the organization (NotFoundError otherwise).
 * The state is a fresh object the caller may change.
 */
export function sessionForTurnStart(scope: OrgScope, sessionId: string): Promise<SessionRow> {
  const cache = sessionCacheFor(scope.db);
  const cached = cache.get(scope.orgId, sessionId);
  if (cache.authoritative) {
    if (cached) return Promise.resolve({ ...cached.row, state: JSON.parse(cached.stateJson) });
    return findSession(scope, sessionId);
  }
  if (!UUID.test(sessionId)) return findSession(scope, sessionId);
  return new Promise((resolve, reject) => {
    let queue = queues.get(scope.db);
    if (!queue) {
      queue = [];
      queues.set(scope.db, queue);
      // Turns starting in the same tick join this read.
      setImmediate(() => void flush(scope.db));
    }
    queue.push({ scope, sessionId, cached, resolve, reject });
  });
}

async function flush(db: Database): Promise<void> {
  const batch = queues.get(db)!;
  queues.delete(db);
  let rows: Record<string, unknown>[];
  try {
    rows = await runPrepared(db, readSessions, [
      batch.map((r) => r.sessionId),
      batch.map((r) => r.scope.orgId),
      batch.map((r) => r.cached?.version ?? null),
    ]);
  } catch (error) {
    for (const read of batch) read.reject(error);
    return;
  }
  const byId = new Map(rows.map((raw) => [raw.requested_id as string, raw]));
  for (const read of batch) {
    try {
      // PostgreSQL spells uuids in lower case, whatever the caller sent.
      read.resolve(await settle(read, byId.get(read.sessionId.toLowerCase())));
    } catch (error) {
      read.reject(error);
    }
  }
}

async function settle(read: PendingRead, raw: Record<string, unknown> | undefined): Promise<SessionRow> {
  const cache = sessionCacheFor(read.scope.db);
  if (!raw) {
    cache.forget(read.sessionId);
    throw new NotFoundError("Session");
  }
  const { requested_id: _, row_version: version, ...columns } = raw;
  const row = toSessionRow(columns);
  if (columns.state !== null && columns.state !== undefined) return row;
  // Unchanged since this process wrote it: the state is the one it wrote.
  const { cached } = read;
  if (cached && cached.version === version) return { ...row, state: JSON.parse(cached.stateJson) };
  return findSession(read.scope, read.sessionId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
