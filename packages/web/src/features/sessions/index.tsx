import type { Channel, SessionQuery, SessionStatus } from "@oratio/sdk";
import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Input, NativeSelect } from "../../components/ui/input.tsx";
import { Label } from "../../components/ui/label.tsx";
import { useLiveConnected } from "../../lib/live-events.tsx";
import { cn, formatDateTime } from "../../lib/utils.ts";
import { useAgents } from "../agents/api/queries.ts";
import { useSessions } from "./api/queries.ts";

export const PAGE_SIZE = 20;

export interface SessionFilters {
  agentId?: string;
  channel?: Channel;
  status?: SessionStatus;
  /** Dates as YYYY-MM-DD, in the browser's time zone. */
  from?: string;
  to?: string;
  q?: string;
  page?: number;
}

function toQuery(filters: SessionFilters): SessionQuery {
  const day = (value: string, end: boolean) => {
    const date = new Date(`${value}T00:00:00`);
    if (end) date.setDate(date.getDate() + 1);
    return date.toISOString();
  };
  return {
    agentId: filters.agentId,
    channel: filters.channel,
    status: filters.status,
    from: filters.from ? day(filters.from, false) : undefined,
    to: filters.to ? day(filters.to, true) : undefined,
    q: filters.q,
    limit: PAGE_SIZE,
    offset: ((filters.page ?? 1) - 1) * PAGE_SIZE,
  };
}

export function SessionsPage({ filters }: { filters: SessionFilters }) {
  const sessions = useSessions(toQuery(filters));
  const agents = useAgents();
  const live = useLiveConnected();
  const navigate = useNavigate();
  const names = new Map(agents.data?.map((a) => [a.id, a.name]));
  const page = filters.page ?? 1;
  const setFilters = (next: SessionFilters) => navigate({ to: "/sessions", search: next });

  return (
    <>
      <PageHeader
        title="Sessions"
        description={
          <span className="inline-flex items-center gap-2">
            <span className={cn("size-2 rounded-full", live ? "bg-success" : "bg-subtle")} aria-hidden />
            {live ? "Live: new conversations appear as they start." : "Connecting to live updates…"}
          </span>
        }
      />
      <FiltersForm filters={filters} agents={agents.data ?? []} onChange={setFilters} />
      {sessions.isPending ? (
        <LoadingState label="Loading sessions…" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : sessions.data.data.length === 0 ? (
        <EmptyState title="No sessions match">
          Conversations appear here as soon as they start, from the playground, the widget, the API or the
          phone.
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto rounded-signature border border-border bg-surface">
            <table className="w-full text-left text-sm" aria-label="Sessions">
              <thead className="text-xs text-subtle">
                <tr>
                  <th className="px-4 py-3 font-medium">Started</th>
                  <th className="px-4 py-3 font-medium">Agent</th>
                  <th className="px-4 py-3 font-medium">Channel</th>
                  <th className="px-4 py-3 font-medium">Status</th>
                  <th className="px-4 py-3 font-medium">Turns</th>
                  <th className="px-4 py-3 font-medium">Last activity</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border">
                {sessions.data.data.map((s) => (
                  <tr key={s.id} className={cn(s.status === "needs_human" && "bg-brand-orange/15")}>
                    <td className="px-4 py-3 whitespace-nowrap">
                      <Link
                        to="/sessions/$sessionId"
                        params={{ sessionId: s.id }}
                        className="font-medium hover:underline"
                        aria-label={`Open session started ${formatDateTime(s.startedAt)} with ${names.get(s.agentId) ?? "agent"}`}
                      >
                        {formatDateTime(s.startedAt)}
                      </Link>
                    </td>
                    <td className="px-4 py-3">{names.get(s.agentId) ?? s.activeAgent}</td>
                    <td className="px-4 py-3 capitalize">{s.channel}</td>
                    <td className="px-4 py-3">
                      <StatusBadge status={s.status} />
                    </td>
                    <td className="px-4 py-3">{s.turnCount}</td>
                    <td className="px-4 py-3 whitespace-nowrap text-subtle">
                      {formatDateTime(s.lastActivityAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
            <span className="text-subtle">
              {(page - 1) * PAGE_SIZE + 1}–{(page - 1) * PAGE_SIZE + sessions.data.data.length} of{" "}
              {sessions.data.total}
            </span>
            <span className="flex gap-2">
              <Button
                variant="outline"
                size="sm"
                disabled={page <= 1}
                onClick={() => setFilters({ ...filters, page: page - 1 })}
              >
                Previous page
              </Button>
              <Button
                variant="outline"
                size="sm"
                disabled={page * PAGE_SIZE >= sessions.data.total}
                onClick={() => setFilters({ ...filters, page: page + 1 })}
              >
                Next page
              </Button>
            </span>
          </nav>
        </>
      )}
    </>
  );
}

function FiltersForm({
  filters,
  agents,
  onChange,
}: {
  filters: SessionFilters;
  agents: { id: string; name: string }[];
  onChange: (filters: SessionFilters) => void;
}) {
  const [q, setQ] = useState(filters.q ?? "");
  const set = (changes: Partial<SessionFilters>) => onChange({ ...filters, ...changes, page: undefined });
  function submit(event: FormEvent) {
    event.preventDefault();
    set({ q: q.trim() || undefined });
  }
  const any = Object.values(filters).some((v) => v !== undefined);
  return (
    <form
      onSubmit={submit}
      aria-label="Filter sessions"
      className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6"
    >
      <div className="grid gap-1.5">
        <Label htmlFor="filter-agent">Agent</Label>
        <NativeSelect
          id="filter-agent"
          value={filters.agentId ?? ""}
          onChange={(e) => set({ agentId: e.target.value || undefined })}
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-channel">Channel</Label>
        <NativeSelect
          id="filter-channel"
          value={filters.channel ?? ""}
          onChange={(e) => set({ channel: (e.target.value || undefined) as Channel | undefined })}
        >
          <option value="">All channels</option>
          <option value="chat">Chat</option>
          <option value="voice">Voice</option>
          <option value="phone">Phone</option>
          <option value="api">API</option>
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-status">Status</Label>
        <NativeSelect
          id="filter-status"
          value={filters.status ?? ""}
          onChange={(e) => set({ status: (e.target.value || undefined) as SessionStatus | undefined })}
        >
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="needs_human">Needs a human</option>
          <option value="human">Human in charge</option>
          <option value="ended">Ended</option>
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-from">From</Label>
        <Input
          id="filter-from"
          type="date"
          value={filters.from ?? ""}
          onChange={(e) => set({ from: e.target.value || undefined })}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-to">To</Label>
        <Input
          id="filter-to"
          type="date"
          value={filters.to ?? ""}
          onChange={(e) => set({ to: e.target.value || undefined })}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-q">Transcript contains</Label>
        <div className="flex gap-1">
          <Input id="filter-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          <Button type="submit" variant="outline" size="sm" className="h-10">
            Search
          </Button>
        </div>
      </div>
      {any && (
        <Button
          variant="link"
          size="sm"
          className="justify-self-start px-0"
          onClick={() => {
            setQ("");
            onChange({});
          }}
        >
          Clear filters
        </Button>
      )}
    </form>
  );
}
