import { useNavigate } from "@tanstack/react-router";
import { PageHeader } from "../../components/page-header.tsx";
import { useAgentActions } from "./api/queries.ts";
import { AgentForm } from "./components/agent-form.tsx";

export function CreateAgentPage() {
  const { create } = useAgentActions();
  const navigate = useNavigate();
  return (
    <>
      <PageHeader
        title="Create agent"
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
