import type { Role } from "@oratio/sdk";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useOrganization } from "../../../lib/session.tsx";

export function useMembers() {
  const client = useApi();
  const { key } = useOrganization();
  return useQuery({
    queryKey: [...key, "members"],
    queryFn: ({ signal }) => client.members.list({ signal }),
  });
}

export function useInvitations(enabled: boolean) {
  const client = useApi();
  const { key } = useOrganization();
  return useQuery({
    queryKey: [...key, "invitations"],
    queryFn: ({ signal }) => client.invitations.list({ signal }),
    enabled,
  });
}

/** Mutations that refresh the members and invitations lists when they succeed. */
export function useMemberActions() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { key } = useOrganization();
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  return {
    changeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
        client.members.update(userId, { role }),
      onSettled: refresh,
    }),
    remove: (userId: string) => client.members.remove(userId).finally(refresh),
    invite: useMutation({
      mutationFn: (input: { email: string; role: Role }) => client.invitations.create(input),
      onSuccess: refresh,
    }),
    revokeInvitation: (id: string) => client.invitations.revoke(id).finally(refresh),
  };
}
