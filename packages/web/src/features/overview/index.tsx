import type { AnalyticsOverview } from "@oratio/sdk";
import { useQuery } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Card, CardDescription, CardTitle } from "../../components/ui/card.tsx";
import { NativeSelect } from "../../components/ui/input.tsx";
import { Label } from "../../components/ui/label.tsx";
import { useApi } from "../../lib/api.tsx";
import { useOrgKey } from "../../lib/org-query.ts";

const SessionsPerDayChart = lazy(() =>
  import("./components/charts.tsx").then((m) => ({ default: m.SessionsPerDayChart })),
);
const TokensByAgentChart = lazy(() =>
  import("./components/charts.tsx").then((m) => ({ default: m.TokensByAgentChart })),
);

/** Holds a chart's place (same size) while its library loads. */
function ChartSlot({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div role="status" className="h-full w-full animate-pulse rounded-md bg-muted">
          <span className="sr-only">Loading chart…</span>
        </div>
      }
    >
      {children}
    </Suspense>
  );
}
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
  return (
    <div className="grid gap-6">
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Sessions"
          value={String(totals.sessions)}
          hint={`${totals.turns} ${totals.turns === 1 ? "turn" : "turns"}`}
        />
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
            <ChartSlot>
              <SessionsPerDayChart data={data.sessionsPerDay} />
            </ChartSlot>
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
                <ChartSlot>
                  <TokensByAgentChart data={data.byAgent} />
                </ChartSlot>
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
