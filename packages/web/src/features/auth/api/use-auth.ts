import type { LoginInput, SignupInput } from "@oratio/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../../lib/api.tsx";
import { useOrganizationSelection } from "../../../lib/session.tsx";

/** Signs in; with an invitation token, also joins the inviting organization and switches to it. */
export function useSignIn() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { select } = useOrganizationSelection();
  return useMutation({
    mutationFn: async ({ invitationToken, ...credentials }: LoginInput) => {
      queryClient.clear();
      await client.auth.login(credentials);
      const joined = invitationToken ? await client.invitations.accept(invitationToken) : undefined;
      select(joined?.id ?? null);
    },
  });
}

export function useSignUp() {
  const client = useApi();
  const queryClient = useQueryClient();
  const { select } = useOrganizationSelection();
  return useMutation({
    mutationFn: async (input: SignupInput) => {
      queryClient.clear();
      const result = await client.auth.signup(input);
      select(result.organization.id);
    },
  });
}
