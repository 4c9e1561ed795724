import type { AgentConfig } from "@oratio/sdk";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../lib/org-query.ts";

export function useAgents() {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({ queryKey: key("agents"), queryFn: ({ signal }) => client.agents.list({ signal }) });
}

export function useAgent(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", id),
    queryFn: ({ signal }) => client.agents.get(id, { signal }),
  });
}

export function useAgentVersions(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", id, "versions"),
    queryFn: ({ signal }) => client.agents.versions(id, { signal }),
  });
}

export function useAgentDiff(id: string, from: number | null, to: number | null) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", id, "diff", from, to),
    queryFn: ({ signal }) => client.agents.diff(id, from ?? 0, to ?? 0, { signal }),
    enabled: from !== null && to !== null && from !== to,
  });
}

/** Sessions started since local midnight, for the agent cards' "today" counts. */
export function useSessionsToday() {
  const client = useApi();
  const key = useOrgKey();
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return useQuery({
    queryKey: key("sessions", "today", midnight.toISOString()),
    queryFn: ({ signal }) => client.sessions.list({ from: midnight.toISOString(), limit: 200 }, { signal }),
  });
}

export function useAgentActions() {
  const client = useApi();
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (config: AgentConfig) => client.agents.create(config),
      onSuccess: () => invalidate("agents"),
    }),
    save: useMutation({
      mutationFn: ({
        id,
        changes,
        publish,
      }: {
        id: string;
        changes: Partial<AgentConfig>;
        publish: boolean;
      }) => client.agents.update(id, changes, { publish }),
      onSuccess: () => invalidate("agents"),
    }),
    publish: useMutation({
      mutationFn: ({ id, version }: { id: string; version: number }) => client.agents.publish(id, version),
      onSuccess: () => invalidate("agents"),
    }),
    remove: useMutation({
      mutationFn: (id: string) => client.agents.delete(id),
      onSuccess: () => invalidate("agents"),
    }),
  };
}

/** What the agent form offers to pick from: providers, knowledge bases, tools and other agents. */
export function useAgentChoices() {
  const client = useApi();
  const key = useOrgKey();
  const providers = useQuery({
    queryKey: key("providers"),
    queryFn: ({ signal }) => client.providers.list({ signal }),
  });
  const knowledge = useQuery({
    queryKey: key("knowledge", "bases"),
    queryFn: ({ signal }) => client.knowledgeBases.list({ signal }),
  });
  const tools = useQuery({ queryKey: key("tools"), queryFn: ({ signal }) => client.tools.list({ signal }) });
  const agents = useAgents();
  return { providers, knowledge, tools, agents };
}
