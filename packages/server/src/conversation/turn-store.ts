import { NotFoundError, type SessionState } from "@oratio/core";
import { type Database, type OrgScope, runPrepared } from "@oratio/db";
import { ROW_VERSION_SQL } from "./session-cache.ts";
import { entryRecords, type NewEntry, type SessionRow, toSessionRow } from "./session-store.ts";

/**
 * How a finished turn reaches the database. A turn is on the hot path of every chat message
 * and every voice utterance, so it is written as one unit — the caller's message, the
 * reply's entries, the new state, the counters and any notification — in one statement
 * (atomic without an explicit transaction), and the turns that finish while a write is in
 * flight are written together in the next one: one round trip and one WAL flush for many
 * turns when the server is busy, no added wait when it is not.
 */

export interface TurnCommit {
  /** Entries in transcript order, the caller's message first. */
  entries: NewEntry[];
  state: SessionState;
  status: SessionRow["status"];
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  /** Set when the turn moves the session to `needs_human`: the operator's notification. */
  notification?: { title: string; body: string };
}

/** The columns of the session row a turn changes (or another writer may have). */
const CHANGED_COLUMNS = [
  "id",
  "status",
  "active_agent",
  "turn_count",
  "tokens_in",
  "tokens_out",
  "cost_usd",
  "taken_over_by",
  "end_reason",
  "last_activity_at",
  "ended_at",
];

/**
 * What a turn changed in its session row, its row version and the state as stored. The
 * other columns never change after a session is created; only these are read back.
 */
export type CommittedSession = Pick<
  SessionRow,
  | "id"
  | "status"
  | "activeAgent"
  | "turnCount"
  | "tokensIn"
  | "tokensOut"
  | "costUsd"
  | "takenOverBy"
  | "endReason"
  | "lastActivityAt"
  | "endedAt"
> & { version: string; stateJson: string };

interface PendingCommit {
  scope: OrgScope;
  sessionId: string;
  commit: TurnCommit;
  resolve(session: CommittedSession): void;
  reject(error: unknown): void;
}

/** Writes turns in batches: at most one write in flight per database handle. */
export class TurnWriter {
  private readonly queues = new Map<Database, PendingCommit[]>();
  private readonly flushing = new Set<Database>();
  /** Statements written and turns they carried, for benchmarks and tests. */
  readonly stats = { statements: 0, turns: 0 };

  constructor(private readonly maxBatch = 256) {}

  commit(scope: OrgScope, sessionId: string, commit: TurnCommit): Promise<CommittedSession> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(scope.db);
      if (!queue) {
        queue = [];
        this.queues.set(scope.db, queue);
      }
      queue.push({ scope, sessionId, commit, resolve, reject });
      if (!this.flushing.has(scope.db)) {
        this.flushing.add(scope.db);
        // Turns finishing in the same tick join this batch.
        setImmediate(() => void this.flush(scope.db));
      }
    });
  }

  private async flush(db: Database): Promise<void> {
    const queue = this.queues.get(db)!;
    try {
      while (queue.length) {
        const batch = queue.splice(0, this.maxBatch);
        this.stats.statements += 1;
        this.stats.turns += batch.length;
        try {
          settle(batch, await writeTurns(db, batch));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One bad turn must not fail the others: write them one by one.
          for (const item of batch) {
            try {
              settle([item], await writeTurns(db, [item]));
            } catch (itemError) {
              item.reject(itemError);
            }
          }
        }
      }
    } finally {
      this.flushing.delete(db);
      this.queues.delete(db);
    }
  }
}

function settle(batch: PendingCommit[], written: Map<string, CommittedSession>): void {
  for (const item of batch) {
    const session = written.get(item.sessionId);
    if (session) item.resolve(session);
    else item.reject(new NotFoundError("Session"));
  }
}

const writeTurnsStatement = {
  name: "oratio_write_turns",
  types: ["jsonb"],
  text: `
    with input as (
      select * from jsonb_to_recordset($1::jsonb) as t(
        org_id uuid, session_id uuid, entries jsonb, state jsonb, active_agent text, status text,
        tokens_in int, tokens_out int, cost_usd double precision, notification jsonb)
    ), stored as (
      insert into session_entries
        (org_id, session_id, seq, kind, role, agent, text, data, turn_id, audio_offset_ms)
      select i.org_id, i.session_id, last.seq + e.i, e.kind, e.role, e.agent, e.text, e.data,
        e.turn_id, e.audio_offset_ms
      from input i
      cross join lateral jsonb_to_recordset(i.entries) as e(
        i int, kind text, role text, agent text, text text, data jsonb, turn_id text, audio_offset_ms int)
      cross join lateral (select coalesce(max(seq), 0) as seq from session_entries
        where session_id = i.session_id) as last
      where exists (select 1 from sessions s where s.id = i.session_id and s.org_id = i.org_id)
    ), notified as (
      insert into notifications (org_id, kind, title, body, session_id)
      select i.org_id, 'needs_human', i.notification->>'title', i.notification->>'body', i.session_id
      from input i
      where i.notification is not null
        and exists (select 1 from sessions s where s.id = i.session_id and s.org_id = i.org_id)
    )
    update sessions s set
      state = i.state,
      active_agent = i.active_agent,
      status = i.status,
      turn_count = s.turn_count + 1,
      tokens_in = s.tokens_in + i.tokens_in,
      tokens_out = s.tokens_out + i.tokens_out,
      cost_usd = s.cost_usd + i.cost_usd,
      last_activity_at = now(),
      ended_at = case when i.status = 'ended' then now() else s.ended_at end,
      end_reason = case when i.status = 'ended' then 'agent-ended' else s.end_reason end
    from input i
    where s.id = i.session_id and s.org_id = i.org_id
    returning ${ROW_VERSION_SQL.replaceAll("xmin", "s.xmin").replaceAll("ctid", "s.ctid")} as row_version,
      ${CHANGED_COLUMNS.map((c) => `s.${c}`).join(", ")}`,
};

/**
 * One statement for a batch of turns (each for a different session: turns of one session
 * are serialised by the conversation service), prepared once per connection. Every row
 * carries its organization, and every write is filtered by it. Entries are numbered after
 * each session's last entry; the unique (session, seq) index turns a race into an error
 * rather than an interleaving.
 */
async function writeTurns(db: Database, batch: PendingCommit[]): Promise<Map<string, CommittedSession>> {
  const states = new Map<string, string>();
  // Each state is serialised once: it is both written and kept by the session cache.
  const input = batch.map(({ scope, sessionId, commit }) => {
    const stateJson = JSON.stringify(commit.state);
    states.set(sessionId, stateJson);
    const rest = JSON.stringify({
      org_id: scope.orgId,
      session_id: sessionId,
      entries: entryRecords(commit.entries),
      active_agent: commit.state.activeAgent,
      status: commit.status,
      tokens_in: commit.usage.inputTokens,
      tokens_out: commit.usage.outputTokens,
      cost_usd: commit.costUsd,
      notification: commit.notification ?? null,
    });
    return `${rest.slice(0, -1)},"state":${stateJson}}`;
  });
  const rows = await runPrepared(db, writeTurnsStatement, [`[${input.join(",")}]`]);
  const written = new Map<string, CommittedSession>();
  for (const raw of rows) {
    const row: SessionRow = toSessionRow(raw);
    written.set(row.id, { ...row, version: String(raw.row_version), stateJson: states.get(row.id)! });
  }
  return written;
}
