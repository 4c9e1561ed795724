import { type GenerateInput, isTerminal, type Job } from "@oratio/sdk";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useApi } from "../../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../../lib/org-query.ts";

export function useGenerate() {
  const client = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: GenerateInput) => client.builder.generate(input),
    onSuccess: () => invalidate("knowledge"),
  });
}

export function useGenerationReport(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("generation-reports", id),
    queryFn: ({ signal }) => client.builder.report(id, { signal }),
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Follows a job live over its event stream. A stream can end early (a proxy closing idle
 * connections, a network change); the job is then read once and followed again, so the
 * page always reaches the job's end.
 */
export function useLiveJob(jobId: string | null) {
  const client = useApi();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!jobId) return;
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      let failures = 0;
      while (!signal.aborted) {
        try {
          let last: Job | undefined;
          for await (const update of client.jobs.watch(jobId, { signal })) {
            last = update;
            setJob(update);
            failures = 0;
          }
          if (last && isTerminal(last.status)) return;
          const current = await client.jobs.get(jobId, { signal });
          setJob(current);
          if (isTerminal(current.status)) return;
        } catch (caught) {
          if (signal.aborted) return;
          failures += 1;
          // Three failures in a row with no progress in between: say so, and keep trying.
          if (failures >= 3) setError(caught);
        }
        await sleep(Math.min(1000 * failures, 5000) || 500, signal);
      }
    })();
    return () => controller.abort();
  }, [client, jobId]);
  return { job, error };
}

export function useAgentProfile(agentId: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", agentId, "profile"),
    queryFn: ({ signal }) => client.builder.profile(agentId, { signal }),
    enabled: agentId !== "",
  });
}

export function useProcedures(agentId: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", agentId, "procedures"),
    queryFn: ({ signal }) => client.builder.procedures(agentId, { signal }),
  });
}

/** The generated agents themselves (their drafted configuration and publish state). */
export function useGeneratedAgents(ids: string[]) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("agents", "generated", ids),
    queryFn: ({ signal }) => Promise.all(ids.map((id) => client.agents.get(id, { signal }))),
    enabled: ids.length > 0,
  });
}

/** Publishes every generated agent at its latest version, so handoffs between them work live. */
export function usePublishAll() {
  const client = useApi();
  const queryClient = useQueryClient();
  const key = useOrgKey();
  return useMutation({
    mutationFn: async (agents: { id: string; version: number }[]) => {
      for (const agent of agents) await client.agents.publish(agent.id, agent.version);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("agents") }),
  });
}
