import type { Agent } from "@oratio/sdk";
import { Link, useNavigate } from "@tanstack/react-router";
import { ChevronLeft } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../../components/ui/tabs.tsx";
import { useAgent, useAgentActions } from "./api/queries.ts";
import { AgentForm } from "./components/agent-form.tsx";
import { Playground } from "./components/playground.tsx";
import { VersionsPanel } from "./components/versions-panel.tsx";

export type AgentTab = "configuration" | "versions" | "playground";

export function AgentPage({ agentId, tab }: { agentId: string; tab: AgentTab }) {
  const agent = useAgent(agentId);
  const navigate = useNavigate();
  if (agent.isPending) return <LoadingState label="Loading agent…" />;
  if (agent.isError) {
    return (
      <>
        <PageHeader title="Agent" />
        <ErrorState error={agent.error} onRetry={() => agent.refetch()} />
      </>
    );
  }
  return (
    <>
      <Link
        to="/agents"
        className="mb-3 inline-flex items-center gap-1 text-sm text-subtle hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden /> All agents
      </Link>
      <PageHeader
        title={agent.data.name}
        description={
          <span className="inline-flex items-center gap-2">
            <StatusBadge status={agent.data.status} /> Latest v{agent.data.latestVersion}
            {agent.data.publishedVersion !== null ? ` · live v${agent.data.publishedVersion}` : ""}
          </span>
        }
      />
      <Tabs
        value={tab}
        onValueChange={(value) =>
          navigate({
            to: "/agents/$agentId",
            params: { agentId },
            search: { tab: value as AgentTab },
            replace: true,
          })
        }
      >
        <TabsList aria-label="Agent sections">
          <TabsTrigger value="configuration">Configuration</TabsTrigger>
          <TabsTrigger value="versions">Versions</TabsTrigger>
          <TabsTrigger value="playground">Playground</TabsTrigger>
        </TabsList>
        <TabsContent value="configuration">
          <ConfigurationTab agent={agent.data} />
        </TabsContent>
        <TabsContent value="versions">
          <VersionsPanel agent={agent.data} />
        </TabsContent>
        <TabsContent value="playground">
          <Playground key={agent.data.latestVersion} agent={agent.data} />
        </TabsContent>
      </Tabs>
    </>
  );
}

function ConfigurationTab({ agent }: { agent: Agent }) {
  const { save } = useAgentActions();
  const [saved, setSaved] = useState<string | null>(null);
  const submit = (config: Agent["config"], publish: boolean) =>
    save.mutate(
      { id: agent.id, changes: config, publish },
      { onSuccess: (a) => setSaved(`Saved as v${a.latestVersion}${publish ? " and published" : ""}.`) },
    );
  return (
    <div className="grid gap-3">
      {saved && (
        <p role="status" className="rounded-md bg-success/10 px-3 py-2 text-sm text-success">
          {saved}
        </p>
      )}
      {/* Remount after each save so the form starts from the saved version. */}
      <AgentForm
        key={agent.latestVersion}
        agent={agent}
        advanced
        submitLabel="Save as new version"
        pending={save.isPending}
        error={save.error}
        onSubmit={(config) => submit(config, false)}
        extraActions={(config) => (
          <Button variant="secondary" disabled={save.isPending} onClick={() => submit(config, true)}>
            Save and publish
          </Button>
        )}
      />
    </div>
  );
}
