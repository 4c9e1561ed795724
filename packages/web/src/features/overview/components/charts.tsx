import type { AnalyticsOverview } from "@oratio/sdk";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * The overview's charts. Recharts is the heaviest library of the dashboard, so this module
 * is its own chunk: the page's figures show at once and the charts follow.
 */

export const CHANNEL_COLOURS = {
  chat: "#8a3ffc",
  voice: "#ffb76b",
  phone: "#3d8bfd",
  api: "#646b87",
} as const;

const axis = { stroke: "var(--color-subtle)", fontSize: 12 };
const tooltip = {
  contentStyle: {
    background: "var(--color-surface)",
    border: "1px solid var(--color-border)",
    borderRadius: 12,
    color: "var(--color-foreground)",
  },
};

export function SessionsPerDayChart({ data }: { data: AnalyticsOverview["sessionsPerDay"] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="date" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis allowDecimals={false} tick={axis} width={32} />
        <Tooltip {...tooltip} cursor={{ fill: "var(--color-muted)" }} />
        <Legend />
        {(Object.keys(CHANNEL_COLOURS) as (keyof typeof CHANNEL_COLOURS)[]).map((channel) => (
          <Bar key={channel} dataKey={channel} stackId="s" fill={CHANNEL_COLOURS[channel]} name={channel} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function TokensByAgentChart({ data }: { data: AnalyticsOverview["byAgent"] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ left: 8 }}>
        <XAxis type="number" tick={axis} />
        <YAxis type="category" dataKey="name" tick={axis} width={96} />
        <Tooltip {...tooltip} cursor={{ fill: "var(--color-muted)" }} />
        <Bar dataKey="tokensIn" stackId="t" fill="#8a3ffc" name="Tokens in" />
        <Bar dataKey="tokensOut" stackId="t" fill="#ffb76b" name="Tokens out" />
      </BarChart>
    </ResponsiveContainer>
  );
}
