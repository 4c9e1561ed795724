import { PageHeader } from "../../components/page-header.tsx";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { useOrganization } from "../../lib/session.tsx";
import { formatDate } from "../../lib/utils.ts";
import { useOrganizationDetails } from "./api/queries.ts";
import { RenameForm } from "./components/rename-form.tsx";

export function OrganizationSettingsPage() {
  const { canManage, role } = useOrganization();
  const details = useOrganizationDetails();
  return (
    <>
      <PageHeader
        title="Organization settings"
        description={
          details.data ? `Created ${formatDate(details.data.createdAt)}. Your role: ${role}.` : undefined
        }
      />
      {details.isPending ? (
        <LoadingState label="Loading the organization…" />
      ) : details.isError ? (
        <ErrorState error={details.error} onRetry={() => details.refetch()} />
      ) : (
        <RenameForm key={details.data.id} organization={details.data} canEdit={canManage} />
      )}
    </>
  );
}
