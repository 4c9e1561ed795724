import type { Job } from "@oratio/sdk";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useApi } from "../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../lib/org-query.ts";

export function useKnowledgeBases() {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("knowledge", "bases"),
    queryFn: ({ signal }) => client.knowledgeBases.list({ signal }),
  });
}

export function useKnowledgeBase(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("knowledge", "bases", id),
    queryFn: ({ signal }) => client.knowledgeBases.get(id, { signal }),
  });
}

export function useDocuments(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("knowledge", "documents", id),
    queryFn: ({ signal }) => client.knowledgeBases.documents(id, { signal }),
  });
}

export function useSources(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("knowledge", "sources", id),
    queryFn: ({ signal }) => client.knowledgeBases.sources(id, { signal }),
  });
}

export function useKnowledgeActions() {
  const client = useApi();
  const invalidate = useInvalidate();
  const refresh = () => invalidate("knowledge");
  return {
    create: useMutation({
      mutationFn: (name: string) => client.knowledgeBases.create({ name }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => client.knowledgeBases.delete(id), onSuccess: refresh }),
    upload: useMutation({
      mutationFn: ({ id, files }: { id: string; files: File[] }) => client.knowledgeBases.upload(id, files),
      onSuccess: refresh,
    }),
    addWebsite: useMutation({
      mutationFn: ({ id, url, maxPages }: { id: string; url: string; maxPages?: number }) =>
        client.knowledgeBases.addSource(id, { type: "website", url, maxPages }),
      onSuccess: refresh,
    }),
    sync: useMutation({
      mutationFn: ({ id, sourceId }: { id: string; sourceId: string }) =>
        client.knowledgeBases.syncSource(id, sourceId),
      onSuccess: refresh,
    }),
    deleteSource: useMutation({
      mutationFn: ({ id, sourceId }: { id: string; sourceId: string }) =>
        client.knowledgeBases.deleteSource(id, sourceId),
      onSuccess: refresh,
    }),
    deleteDocument: useMutation({
      mutationFn: ({ id, documentId }: { id: string; documentId: string }) =>
        client.knowledgeBases.deleteDocument(id, documentId),
      onSuccess: refresh,
    }),
  };
}

/**
 * Follows jobs over their event streams; the latest state of each is kept by id. Lists
 * refresh on every update so documents show their progress as it happens.
 */
export function useJobWatcher() {
  const client = useApi();
  const queryClient = useQueryClient();
  const key = useOrgKey();
  const [jobs, setJobs] = useState<Record<string, Job>>({});
  const controllers = useRef(new Set<AbortController>());
  useEffect(() => {
    const all = controllers.current;
    return () => {
      for (const c of all) c.abort();
    };
  }, []);
  const watch = useCallback(
    async (jobId: string) => {
      const controller = new AbortController();
      controllers.current.add(controller);
      try {
        for await (const job of client.jobs.watch(jobId, { signal: controller.signal })) {
          setJobs((all) => ({ ...all, [job.id]: job }));
          queryClient.invalidateQueries({ queryKey: key("knowledge") });
        }
      } catch {
        // The lists still show each document's final status.
      } finally {
        controllers.current.delete(controller);
      }
    },
    [client, queryClient, key],
  );
  return { jobs: Object.values(jobs), watch };
}
