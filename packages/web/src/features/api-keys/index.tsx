import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { useOrganization } from "../../lib/session.tsx";
import { useApiKeys } from "./api/queries.ts";
import { ApiKeysTable } from "./components/api-keys-table.tsx";
import { CreateApiKeyDialog } from "./components/create-api-key-dialog.tsx";

export function ApiKeysPage() {
  const { canManage, organization } = useOrganization();
  const keys = useApiKeys();
  if (!canManage) {
    return (
      <>
        <PageHeader title="API keys" />
        <EmptyState title="Only owners and admins manage API keys">
          Ask an owner or admin of {organization.name} if you need a key.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your programs use Oratio on behalf of this organization."
        actions={<CreateApiKeyDialog />}
      />
      {keys.isPending ? (
        <LoadingState label="Loading API keys…" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          Create one to connect a website widget, a script or a service.
        </EmptyState>
      ) : (
        <ApiKeysTable keys={keys.data} />
      )}
    </>
  );
}
