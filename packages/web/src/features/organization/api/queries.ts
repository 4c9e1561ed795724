import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useOrganization } from "../../../lib/session.tsx";

export function useOrganizationDetails() {
  const client = useApi();
  const { key } = useOrganization();
  return useQuery({
    queryKey: [...key, "details"],
    queryFn: ({ signal }) => client.organizations.current({ signal }),
  });
}

export function useRenameOrganization() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { key } = useOrganization();
  return useMutation({
    mutationFn: (name: string) => client.organizations.updateCurrent({ name }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: key }),
        queryClient.invalidateQueries({ queryKey: ["me"] }),
      ]);
    },
  });
}
