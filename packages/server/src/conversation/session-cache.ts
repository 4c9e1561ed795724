import { type Database, isEmbeddedDatabase } from "@oratio/db";
import type { SessionRow } from "./session-store.ts";

/**
 * The sessions this process last wrote, so a turn does not read its session back from the
 * database before answering.
 *
 * Every write to a session row goes through this process's ConversationService (and
 * `seedHistory`), which store the row they wrote here or forget it. What a turn may trust
 * depends on who else can write:
 * - an embedded PGlite database belongs to this process alone, so a cached session is the
 *   session and a turn reads nothing;
 * - on PostgreSQL other server instances may have written since, so a turn still reads the
 *   row, but with a version check (the row version's `xmin` and `ctid`, which every update
 *   changes): the small columns come back every time, the state — the conversation so far,
 *   the bulk of the row — only when it changed.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  /** Characters of state held, bounded by `maxStateChars` (long conversations weigh more). */
  private stateChars = 0;

  constructor(
    /** True when no other process can write the database. */
    readonly authoritative: boolean,
    private readonly maxEntries = 5_000,
    private readonly maxStateChars = 32 * 1024 * 1024,
  ) {}

  // Keys are lowercased: a UUID names the same session in either case, and a write under one
  // spelling must drop what a turn under another would trust.
  get(orgId: string, sessionId: string): CachedSession | undefined {
    const entry = this.entries.get(sessionId.toLowerCase());
    return entry && entry.row.orgId === orgId ? entry : undefined;
  }

  /** Remembers the row as just written; `stateJson` is the state exactly as stored. */
  set(row: SessionRowWithoutState, stateJson: string, version: string): void {
    // Re-inserting keeps the Map in least-recently-written order for eviction.
    const key = row.id.toLowerCase();
    this.forget(key);
    if (stateJson.length > this.maxStateChars) return;
    while (this.entries.size >= this.maxEntries || this.stateChars + stateJson.length > this.maxStateChars) {
      this.forget(this.entries.keys().next().value!);
    }
    this.entries.set(key, { row, stateJson, version });
    this.stateChars += stateJson.length;
  }

  forget(sessionId: string): void {
    const key = sessionId.toLowerCase();
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.stateChars -= entry.stateJson.length;
  }

  get size(): number {
    return this.entries.size;
  }
}

export type SessionRowWithoutState = Omit<SessionRow, "state">;

export interface CachedSession {
  row: SessionRowWithoutState;
  stateJson: string;
  /** `xmin/ctid` of the row version written. */
  version: string;
}

/** One cache per database, shared by everything in this process that writes sessions. */
const caches = new WeakMap<Database, SessionCache>();

export function sessionCacheFor(db: Database): SessionCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new SessionCache(isEmbeddedDatabase(db));
    caches.set(db, cache);
  }
  return cache;
}

/** The version expression written and compared by the turn statements. */
export const ROW_VERSION_SQL = "xmin::text || '/' || ctid::text";

/** Every `sessions` column but `state`, as the turn statements return them. */
export const SESSION_COLUMNS_WITHOUT_STATE =
  "id, org_id, agent_id, agent_version, pinned_versions, active_agent, channel, status, metadata, " +
  "caller, turn_count, tokens_in, tokens_out, cost_usd, taken_over_by, end_reason, started_at, " +
  "last_activity_at, ended_at";
