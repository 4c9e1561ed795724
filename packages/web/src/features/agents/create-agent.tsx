import { Link, useNavigate } from "@tanstack/react-router";
import { ChevronLeft } from "lucide-react";
import { PageHeader } from "../../components/page-header.tsx";
import { useAgentActions } from "./api/queries.ts";
import { AgentForm } from "./components/agent-form.tsx";

/** The manual way: one agent, written by hand. */
export function CreateAgentPage() {
  const { create } = useAgentActions();
  const navigate = useNavigate();
  return (
    <>
      <Link
        to="/agents/new"
        className="mb-3 inline-flex items-center gap-1 text-sm text-subtle hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden /> Generate from your SOP instead
      </Link>
      <PageHeader
        title="Create agent from scratch"
        description="Write what the agent does; you can refine everything later."
      />
      <AgentForm
        advanced={false}
        submitLabel="Create agent"
        pending={create.isPending}
        error={create.error}
        onSubmit={(config) =>
          create.mutate(config, {
            onSuccess: (agent) =>
              navigate({
                to: "/agents/$agentId",
                params: { agentId: agent.id },
                search: { tab: "playground" },
              }),
          })
        }
      />
    </>
  );
}
