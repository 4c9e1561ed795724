import type { AnalyticsOverview } from "@oratio/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Card, CardDescription, CardTitle } from "../../components/ui/card.tsx";
import { NativeSelect } from "../../components/ui/input.tsx";
import { Label } from "../../components/ui/label.tsx";
import { useApi } from "../../lib/api.tsx";
import { useOrgKey } from "../../lib/org-query.ts";

const CHANNEL_COLOURS = { chat: "#8a3ffc", voice: "#ffb76b", phone: "#3d8bfd", api: "#646b87" } as const;
const RANGES = { "7": "Last 7 days", "30": "Last 30 days", "90": "Last 90 days" } as const;
type Range = keyof typeof RANGES;

const percent = (rate: number) => `${Math.round(rate * 100)}%`;
const duration = (seconds: number) =>
  seconds >= 60
    ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
    : `${Math.round(seconds)} s`;
const usd = (value: number) => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;

function useOverview(days: number) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("analytics", "overview", days),
    queryFn: ({ signal }) => {
      const from = new Date(Date.now() - days * 86_400_000).toISOString();
      return client.analytics.overview({ from }, { signal });
    },
  });
}

export function OverviewPage() {
  const [range, setRange] = useState<Range>("30");
  const overview = useOverview(Number(range));
  return (
    <>
      <PageHeader
        title="Overview"
        description="How your agents are doing: conversations, handoffs, latency and cost."
        actions={
          <div className="flex items-center gap-2">
            <Label htmlFor="overview-range" className="text-sm text-subtle">
              Period
            </Label>
            <NativeSelect
              id="overview-range"
              className="w-40"
              value={range}
              onChange={(e) => setRange(e.target.value as Range)}
            >
              {Object.entries(RANGES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </NativeSelect>
          </div>
        }
      />
      {overview.isPending ? (
        <LoadingState label="Loading analytics…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => overview.refetch()} />
      ) : (
        <OverviewCharts data={overview.data} />
      )}
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card className="p-4 sm:p-5">
      <p className="text-xs font-medium text-subtle">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight">{value}</p>
      {hint && <p className="mt-0.5 text-xs text-subtle">{hint}</p>}
    </Card>
  );
}

function OverviewCharts({ data }: { data: AnalyticsOverview }) {
  const { totals, voiceLatency } = data;
  const axis = { stroke: "var(--color-subtle)", fontSize: 12 };
  const tooltip = {
    contentStyle: {
      background: "var(--color-surface)",
      border: "1px solid var(--color-border)",
      borderRadius: 12,
      color: "var(--color-foreground)",
    },
  };
  return (
    <div className="grid gap-6">
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Sessions" value={String(totals.sessions)} hint={`${totals.turns} turns`} />
        <Stat label="Average duration" value={duration(totals.avgDurationSeconds)} />
        <Stat label="Handed to a human" value={percent(totals.handoffToHumanRate)} />
        <Stat label="Contained by agents" value={percent(totals.containmentRate)} />
      </dl>

      <Card>
        <CardTitle>Sessions per day</CardTitle>
        <CardDescription>By channel</CardDescription>
        {totals.sessions === 0 ? (
          <EmptyState title="No sessions in this period">
            Try an agent in its playground to see it here.
          </EmptyState>
        ) : (
          <figure className="mt-4 h-64" aria-label="Sessions per day by channel">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data.sessionsPerDay}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
                <XAxis dataKey="date" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
                <YAxis allowDecimals={false} tick={axis} width={32} />
                <Tooltip {...tooltip} cursor={{ fill: "var(--color-muted)" }} />
                <Legend />
                {(Object.keys(CHANNEL_COLOURS) as (keyof typeof CHANNEL_COLOURS)[]).map((channel) => (
                  <Bar
                    key={channel}
                    dataKey={channel}
                    stackId="s"
                    fill={CHANNEL_COLOURS[channel]}
                    name={channel}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </figure>
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>Voice latency</CardTitle>
          <CardDescription>From the end of the caller's speech to the agent's first audio</CardDescription>
          {voiceLatency.p50Ms === null ? (
            <p className="mt-6 text-sm text-subtle">No voice calls yet.</p>
          ) : (
            <dl className="mt-4 grid grid-cols-3 gap-4">
              <div>
                <dt className="text-xs text-subtle">Median (p50)</dt>
                <dd className="text-2xl font-semibold">{Math.round(voiceLatency.p50Ms)} ms</dd>
              </div>
              <div>
                <dt className="text-xs text-subtle">p95</dt>
                <dd className="text-2xl font-semibold">{Math.round(voiceLatency.p95Ms ?? 0)} ms</dd>
              </div>
              <div>
                <dt className="text-xs text-subtle">Voice turns</dt>
                <dd className="text-2xl font-semibold">{voiceLatency.turns}</dd>
              </div>
            </dl>
          )}
        </Card>
        <Card>
          <CardTitle>Tokens and estimated cost</CardTitle>
          <CardDescription>
            {totals.tokensIn + totals.tokensOut} tokens · {usd(totals.costUsd)} in this period
          </CardDescription>
          {data.byAgent.length === 0 ? (
            <p className="mt-6 text-sm text-subtle">No agent has answered yet.</p>
          ) : (
            <>
              <figure className="mt-4 h-48" aria-label="Tokens by agent">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={data.byAgent} layout="vertical" margin={{ left: 8 }}>
                    <XAxis type="number" tick={axis} />
                    <YAxis type="category" dataKey="name" tick={axis} width={96} />
                    <Tooltip {...tooltip} cursor={{ fill: "var(--color-muted)" }} />
                    <Bar dataKey="tokensIn" stackId="t" fill="#8a3ffc" name="Tokens in" />
                    <Bar dataKey="tokensOut" stackId="t" fill="#ffb76b" name="Tokens out" />
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <table className="mt-3 w-full text-left text-sm" aria-label="Cost by agent">
                <thead className="text-xs text-subtle">
                  <tr>
                    <th className="py-1 font-medium">Agent</th>
                    <th className="py-1 font-medium">Sessions</th>
                    <th className="py-1 text-right font-medium">Estimated cost</th>
                  </tr>
                </thead>
                <tbody>
                  {data.byAgent.map((a) => (
                    <tr key={a.agentId}>
                      <td className="py-1">{a.name}</td>
                      <td className="py-1">{a.sessions}</td>
                      <td className="py-1 text-right">{usd(a.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Card>
      </div>
    </div>
  );
}
