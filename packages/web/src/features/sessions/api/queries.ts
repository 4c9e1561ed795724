import type { SessionQuery } from "@oratio/sdk";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../lib/org-query.ts";

export function useSessions(query: SessionQuery) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("sessions", "list", query),
    queryFn: ({ signal }) => client.sessions.list(query, { signal }),
    placeholderData: (previous) => previous,
  });
}

export function useSession(id: string) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("sessions", id),
    queryFn: ({ signal }) => client.sessions.get(id, { signal }),
  });
}

export function useSessionActions(id: string) {
  const client = useApi();
  const invalidate = useInvalidate();
  const refresh = () => invalidate("sessions");
  return {
    takeover: useMutation({ mutationFn: () => client.sessions.takeover(id), onSuccess: refresh }),
    release: useMutation({ mutationFn: () => client.sessions.release(id), onSuccess: refresh }),
    end: useMutation({ mutationFn: () => client.sessions.end(id), onSuccess: refresh }),
    say: useMutation({
      mutationFn: (text: string) => client.sessions.operatorMessage(id, text),
      onSuccess: refresh,
    }),
  };
}
