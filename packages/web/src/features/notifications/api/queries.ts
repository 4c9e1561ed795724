import { useMutation, useQuery } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../../lib/org-query.ts";

export function useNotifications(limit = 50) {
  const client = useApi();
  const key = useOrgKey();
  return useQuery({
    queryKey: key("notifications", limit),
    queryFn: ({ signal }) => client.notifications.list({ limit }, { signal }),
  });
}

export function useMarkRead() {
  const client = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => client.notifications.markRead(id),
    onSuccess: () => invalidate("notifications"),
  });
}
