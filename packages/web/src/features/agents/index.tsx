import type { Agent, Session } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";
import { Bot, MessageSquare, Plus } from "lucide-react";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { buttonVariants } from "../../components/ui/button.tsx";
import { Card, CardTitle } from "../../components/ui/card.tsx";
import { formatDateTime } from "../../lib/utils.ts";
import { useAgents, useSessionsToday } from "./api/queries.ts";
import { HandoffGraph } from "./components/handoff-graph.tsx";

export function AgentsPage() {
  const agents = useAgents();
  const today = useSessionsToday();
  return (
    <>
      <PageHeader
        title="Agents"
        description="Each agent answers customers by chat or voice with its instructions, knowledge and tools."
        actions={
          <Link to="/agents/new" className={buttonVariants()}>
            <Plus aria-hidden /> Create agent
          </Link>
        }
      />
      {agents.isPending ? (
        <LoadingState label="Loading agents…" />
      ) : agents.isError ? (
        <ErrorState error={agents.error} onRetry={() => agents.refetch()} />
      ) : agents.data.length === 0 ? (
        <EmptyState title="No agents yet">
          Create your first agent from your instructions and documents.
        </EmptyState>
      ) : (
        <div className="grid gap-6">
          <ul className="grid gap-4 sm:grid-cols-2" aria-label="Agents">
            {agents.data.map((agent) => (
              <li key={agent.id}>
                <AgentCard agent={agent} sessions={today.data?.data ?? []} />
              </li>
            ))}
          </ul>
          <Card>
            <CardTitle>Handoff map</CardTitle>
            <HandoffGraph agents={agents.data} />
          </Card>
        </div>
      )}
    </>
  );
}

/** Instructions without Markdown marks, for a two-line teaser. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(#{1,6}|[-*]|\d+\.)\s+/gm, "")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function AgentCard({ agent, sessions }: { agent: Agent; sessions: Session[] }) {
  const mine = sessions.filter((s) => s.agentId === agent.id);
  const channels = [...new Set(mine.map((s) => s.channel))];
  const last = mine[0]?.lastActivityAt;
  return (
    <Card className="grid h-full gap-3 transition-shadow hover:shadow-glow">
      <div className="flex items-start justify-between gap-2">
        <h2 className="flex items-center gap-2 text-lg font-semibold">
          <Bot className="size-5 text-accent dark:text-[#b084ff]" aria-hidden />
          <Link to="/agents/$agentId" params={{ agentId: agent.id }} className="hover:underline">
            {agent.name}
          </Link>
        </h2>
        <StatusBadge status={agent.status} />
      </div>
      <p className="line-clamp-2 text-sm text-subtle">{plainText(agent.config.instructions)}</p>
      <dl className="grid grid-cols-2 gap-2 text-sm">
        <div>
          <dt className="text-xs text-subtle">Sessions today</dt>
          <dd className="flex items-center gap-1 font-medium">
            <MessageSquare className="size-3.5" aria-hidden /> {mine.length}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-subtle">Last activity</dt>
          <dd className="font-medium">{last ? formatDateTime(last) : "None today"}</dd>
        </div>
        <div>
          <dt className="text-xs text-subtle">Channels today</dt>
          <dd className="font-medium capitalize">{channels.length ? channels.join(", ") : "—"}</dd>
        </div>
        <div>
          <dt className="text-xs text-subtle">Version</dt>
          <dd className="font-medium">
            v{agent.latestVersion}
            {agent.publishedVersion !== null && agent.publishedVersion !== agent.latestVersion
              ? ` (live: v${agent.publishedVersion})`
              : ""}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
