import { type OrgScope, sessionEntries } from "@oratio/db";
import { asc, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import { appendEntries } from "./session-store.ts";

/**
 * Voice annotations on a session's transcript: where each turn sits in the recording, how
 * long the caller waited for the agent, and what was cut off by a barge-in. The text turn
 * itself is stored by the ConversationService; these functions only add to it, and callers
 * run them in the session's write queue so sequence numbers never race.
 */

/** Latency of one spoken agent turn, in milliseconds (stored as `data.voice` on the `turn` entry). */
export interface VoiceTurnLatency {
  /** End of the caller's speech → first agent audio handed to the transport. */
  firstAudioMs?: number;
  endpointingMs?: number;
  sttFinalMs?: number;
  llmFirstTokenMs?: number;
  firstSentenceMs?: number;
  ttsFirstByteMs?: number;
  bargeInReactionMs?: number;
}

export interface VoiceTurnRecord {
  turnId: string;
  latency: VoiceTurnLatency;
  /** Recording offset where the caller started this turn. */
  userOffsetMs?: number;
  /** Recording offset of the agent's first audio. */
  agentOffsetMs?: number;
  /** Set when the agent was cut off: by the caller speaking, or by the call ending. */
  bargeIn?: { heardText: string; generatedText: string; atMs: number; cause: "barge-in" | "hang-up" };
}

export async function recordVoiceTurn(
  scope: OrgScope,
  sessionId: string,
  record: VoiceTurnRecord,
): Promise<void> {
  const inSession = (...more: SQL[]) =>
    scope.where(sessionEntries, eq(sessionEntries.sessionId, sessionId), ...more);
  await scope.db
    .update(sessionEntries)
    .set({ data: sql`${sessionEntries.data} || ${JSON.stringify({ voice: record.latency })}::jsonb` })
    .where(inSession(eq(sessionEntries.kind, "turn"), eq(sessionEntries.turnId, record.turnId)));

  const turnEntries = await scope.db
    .select({
      id: sessionEntries.id,
      seq: sessionEntries.seq,
      kind: sessionEntries.kind,
      role: sessionEntries.role,
    })
    .from(sessionEntries)
    .where(inSession(eq(sessionEntries.turnId, record.turnId)))
    .orderBy(asc(sessionEntries.seq));
  const firstSeq = turnEntries[0]?.seq;
  if (firstSeq === undefined) return;

  if (record.userOffsetMs !== undefined) {
    // The caller's message is stored just before the turn, without a turn id.
    const [user] = await scope.db
      .select({ id: sessionEntries.id })
      .from(sessionEntries)
      .where(inSession(eq(sessionEntries.role, "user"), lt(sessionEntries.seq, firstSeq)))
      .orderBy(desc(sessionEntries.seq))
      .limit(1);
    if (user) await setOffset(scope, user.id, record.userOffsetMs);
  }
  const assistant = turnEntries.filter((e) => e.kind === "message" && e.role === "assistant");
  if (record.agentOffsetMs !== undefined && assistant[0]) {
    await setOffset(scope, assistant[0].id, record.agentOffsetMs);
  }
  if (record.bargeIn) {
    await recordInterruption(
      scope,
      sessionId,
      assistant.map((e) => e.id),
      record.bargeIn,
      record.turnId,
    );
  }
}

type BargeIn = NonNullable<VoiceTurnRecord["bargeIn"]>;

/**
 * Marks what the caller cut off (`interrupted`, with the words they actually heard) and
 * records the barge-in (or hang-up) as an event at its place in the recording.
 */
async function recordInterruption(
  scope: OrgScope,
  sessionId: string,
  entryIds: string[],
  bargeIn: BargeIn,
  turnId: string | null,
): Promise<void> {
  const { heardText, generatedText, atMs, cause } = bargeIn;
  for (const id of entryIds) {
    await scope.db
      .update(sessionEntries)
      .set({
        data: sql`${sessionEntries.data} || ${JSON.stringify({ interrupted: true, heardText })}::jsonb`,
      })
      .where(scope.where(sessionEntries, eq(sessionEntries.id, id)));
  }
  await appendEntries(scope, sessionId, [
    {
      kind: "event",
      turnId,
      audioOffsetMs: Math.round(atMs),
      data: { type: cause, heardText, generatedText, atMs: Math.round(atMs) },
    },
  ]);
}

/**
 * The greeting (the session's first assistant message) as spoken: its recording offset,
 * and, when the caller talked over it, what they heard of it.
 */
export async function recordGreeting(
  scope: OrgScope,
  sessionId: string,
  spoken: { offsetMs?: number; bargeIn?: BargeIn },
): Promise<void> {
  const [greeting] = await scope.db
    .select({ id: sessionEntries.id })
    .from(sessionEntries)
    .where(
      scope.where(
        sessionEntries,
        eq(sessionEntries.sessionId, sessionId),
        eq(sessionEntries.kind, "message"),
        eq(sessionEntries.role, "assistant"),
      ),
    )
    .orderBy(asc(sessionEntries.seq))
    .limit(1);
  if (!greeting) return;
  if (spoken.offsetMs !== undefined) await setOffset(scope, greeting.id, spoken.offsetMs);
  if (spoken.bargeIn) await recordInterruption(scope, sessionId, [greeting.id], spoken.bargeIn, null);
}

/** A voice-only event (DTMF key, call start or end) in the transcript. */
export async function recordVoiceEvent(
  scope: OrgScope,
  sessionId: string,
  data: { type: string } & Record<string, unknown>,
  audioOffsetMs?: number,
): Promise<void> {
  await appendEntries(scope, sessionId, [
    { kind: "event", data, audioOffsetMs: audioOffsetMs === undefined ? null : Math.round(audioOffsetMs) },
  ]);
}

async function setOffset(scope: OrgScope, entryId: string, offsetMs: number): Promise<void> {
  await scope.db
    .update(sessionEntries)
    .set({ audioOffsetMs: Math.round(offsetMs) })
    .where(scope.where(sessionEntries, eq(sessionEntries.id, entryId)));
}
