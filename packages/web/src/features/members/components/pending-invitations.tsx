import { EmptyState, ErrorState, LoadingState } from "../../../components/states.tsx";
import { ConfirmDialog } from "../../../components/ui/alert-dialog.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { CardTitle } from "../../../components/ui/card.tsx";
import { formatDate } from "../../../lib/utils.ts";
import { useInvitations, useMemberActions } from "../api/queries.ts";

export function PendingInvitations() {
  const invitations = useInvitations(true);
  const { revokeInvitation } = useMemberActions();
  return (
    <section aria-labelledby="pending-invitations" className="mt-10">
      <CardTitle id="pending-invitations" className="mb-3">
        Pending invitations
      </CardTitle>
      {invitations.isPending ? (
        <LoadingState label="Loading invitations…" />
      ) : invitations.isError ? (
        <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <EmptyState title="No pending invitations">People you invite appear here until they join.</EmptyState>
      ) : (
        <ul
          aria-labelledby="pending-invitations"
          className="divide-y divide-border rounded-signature border border-border bg-surface"
        >
          {invitations.data.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
              <div className="min-w-0 flex-1">
                <div className="font-medium break-all">{invitation.email}</div>
                <div className="text-subtle">
                  <span className="capitalize">{invitation.role}</span> · expires{" "}
                  {formatDate(invitation.expiresAt)}
                </div>
              </div>
              <ConfirmDialog
                trigger={
                  <Button variant="ghost" size="sm" aria-label={`Revoke invitation for ${invitation.email}`}>
                    Revoke
                  </Button>
                }
                title="Revoke this invitation?"
                description={`The link sent to ${invitation.email} will stop working.`}
                confirmLabel="Revoke"
                onConfirm={() => revokeInvitation(invitation.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
