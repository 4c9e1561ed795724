import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { useOrganization } from "../../lib/session.tsx";
import { useMembers } from "./api/queries.ts";
import { InviteMemberDialog } from "./components/invite-member-dialog.tsx";
import { MembersTable } from "./components/members-table.tsx";
import { PendingInvitations } from "./components/pending-invitations.tsx";

export function MembersPage() {
  const { organization, canManage } = useOrganization();
  const members = useMembers();
  return (
    <>
      <PageHeader
        title="Members"
        description={
          canManage
            ? `People who can use ${organization.name}, and what they may do.`
            : `People who can use ${organization.name}. Only owners and admins can change members.`
        }
        actions={canManage ? <InviteMemberDialog /> : undefined}
      />
      {members.isPending ? (
        <LoadingState label="Loading members…" />
      ) : members.isError ? (
        <ErrorState error={members.error} onRetry={() => members.refetch()} />
      ) : members.data.length === 0 ? (
        <EmptyState title="No members" />
      ) : (
        <MembersTable members={members.data} />
      )}
      {canManage && <PendingInvitations />}
    </>
  );
}
