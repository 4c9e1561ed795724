import { agents, type OrgScope, sessionEntries, sessions } from "@oratio/db";
import { and, eq, gte, lte, sql } from "drizzle-orm";

const DAY_MS = 86_400_000;

/**
 * Aggregates in the database: one pass over the range's sessions for totals, per-day and
 * per-agent figures, and one over voice turn records for latency percentiles.
 */
export async function analyticsOverview(
  scope: OrgScope,
  query: { from?: string; to?: string; agentId?: string },
) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  const inRange = scope.where(
    sessions,
    gte(sessions.startedAt, from),
    lte(sessions.startedAt, to),
    query.agentId ? eq(sessions.agentId, query.agentId) : undefined,
  );
  // A session "needed a human" if the agent asked for one or an operator took it over.
  const neededHuman = sql<boolean>`exists (select 1 from ${sessionEntries} e where e.session_id = ${sessions.id} and e.kind = 'event' and e.data->>'type' in ('needs-human', 'takeover'))`;

  const [totals] = await scope.db
    .select({
      sessions: sql<number>`count(*)::int`,
      turns: sql<number>`coalesce(sum(${sessions.turnCount}), 0)::int`,
      avgDuration: sql<number>`coalesce(avg(extract(epoch from (coalesce(${sessions.endedAt}, ${sessions.lastActivityAt}) - ${sessions.startedAt}))), 0)::float8`,
      human: sql<number>`count(*) filter (where ${neededHuman})::int`,
      tokensIn: sql<number>`coalesce(sum(${sessions.tokensIn}), 0)::int`,
      tokensOut: sql<number>`coalesce(sum(${sessions.tokensOut}), 0)::int`,
      costUsd: sql<number>`coalesce(sum(${sessions.costUsd}), 0)::float8`,
    })
    .from(sessions)
    .where(inRange);

  const perDay = await scope.db
    .select({
      date: sql<string>`to_char(date_trunc('day', ${sessions.startedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      channel: sessions.channel,
      n: sql<number>`count(*)::int`,
    })
    .from(sessions)
    .where(inRange)
    .groupBy(sql`1`, sessions.channel)
    .orderBy(sql`1`);

  const byAgent = await scope.db
    .select({
      agentId: sessions.agentId,
      name: agents.name,
      sessions: sql<number>`count(*)::int`,
      tokensIn: sql<number>`coalesce(sum(${sessions.tokensIn}), 0)::int`,
      tokensOut: sql<number>`coalesce(sum(${sessions.tokensOut}), 0)::int`,
      costUsd: sql<number>`coalesce(sum(${sessions.costUsd}), 0)::float8`,
    })
    .from(sessions)
    .innerJoin(agents, eq(agents.id, sessions.agentId))
    .where(inRange)
    .groupBy(sessions.agentId, agents.name)
    .orderBy(sql`3 desc`);

  const firstAudio = sql`(${sessionEntries.data}->'voice'->>'firstAudioMs')::float8`;
  const [latency] = await scope.db
    .select({
      turns: sql<number>`count(${firstAudio})::int`,
      p50: sql<number | null>`percentile_cont(0.5) within group (order by ${firstAudio})`,
      p95: sql<number | null>`percentile_cont(0.95) within group (order by ${firstAudio})`,
    })
    .from(sessionEntries)
    .innerJoin(sessions, eq(sessions.id, sessionEntries.sessionId))
    .where(and(inRange, eq(sessionEntries.kind, "turn"), sql`${firstAudio} is not null`));

  const days = new Map<string, { date: string; chat: number; voice: number; phone: number; api: number }>();
  for (
    let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    t <= to.getTime();
    t += DAY_MS
  ) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, { date, chat: 0, voice: 0, phone: 0, api: 0 });
  }
  for (const row of perDay) {
    const day = days.get(row.date);
    if (day) day[row.channel] = row.n;
  }

  const total = totals?.sessions ?? 0;
  const human = totals?.human ?? 0;
  return {
    range: { from: from.toISOString(), to: to.toISOString() },
    totals: {
      sessions: total,
      turns: totals?.turns ?? 0,
      avgDurationSeconds: Number(totals?.avgDuration ?? 0),
      handoffToHumanRate: total ? human / total : 0,
      containmentRate: total ? (total - human) / total : 0,
      tokensIn: totals?.tokensIn ?? 0,
      tokensOut: totals?.tokensOut ?? 0,
      costUsd: Number(totals?.costUsd ?? 0),
    },
    sessionsPerDay: [...days.values()],
    voiceLatency: {
      turns: latency?.turns ?? 0,
      p50Ms: latency?.p50 === null || latency?.p50 === undefined ? null : Number(latency.p50),
      p95Ms: latency?.p95 === null || latency?.p95 === undefined ? null : Number(latency.p95),
    },
    byAgent: byAgent.map((a) => ({ ...a, costUsd: Number(a.costUsd) })),
  };
}
