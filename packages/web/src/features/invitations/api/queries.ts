import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useOrganizationSelection } from "../../../lib/session.tsx";

export function useInvitationPreview(token: string) {
  const client = useApi();
  return useQuery({
    queryKey: ["invitation-preview", token],
    queryFn: ({ signal }) => client.invitations.lookup(token, { signal }),
    retry: false,
  });
}

export function useAcceptInvitation() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { select } = useOrganizationSelection();
  return useMutation({
    mutationFn: (token: string) => client.invitations.accept(token),
    onSuccess: async (organization) => {
      select(organization.id);
      await queryClient.invalidateQueries({ queryKey: ["me"] });
    },
  });
}
