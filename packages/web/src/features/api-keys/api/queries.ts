import type { CreateApiKeyInput } from "@oratio/sdk";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useOrganization } from "../../../lib/session.tsx";

export function useApiKeys() {
  const client = useApi();
  const { key, canManage } = useOrganization();
  return useQuery({
    queryKey: [...key, "api-keys"],
    queryFn: ({ signal }) => client.apiKeys.list({ signal }),
    enabled: canManage,
  });
}

export function useApiKeyActions() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { key } = useOrganization();
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...key, "api-keys"] });
  return {
    create: useMutation({
      mutationFn: (input: CreateApiKeyInput) => client.apiKeys.create(input),
      onSuccess: refresh,
    }),
    revoke: (id: string) => client.apiKeys.revoke(id).finally(refresh),
  };
}
