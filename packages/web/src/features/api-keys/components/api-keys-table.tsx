import type { ApiKey } from "@oratio/sdk";
import { ConfirmDialog } from "../../../components/ui/alert-dialog.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { formatDate, formatDateTime } from "../../../lib/utils.ts";
import { useApiKeyActions } from "../api/queries.ts";

function describeScopes(scopes: string[]): string[] {
  if (scopes.includes("*")) return ["Full access"];
  if (scopes.length > 3 && scopes.every((s) => s.endsWith(":read"))) return ["Read only"];
  return scopes;
}

export function ApiKeysTable({ keys }: { keys: ApiKey[] }) {
  const { revoke } = useApiKeyActions();
  return (
    <div className="overflow-x-auto rounded-signature border border-border bg-surface">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Active API keys</caption>
        <thead className="border-b border-border text-xs text-subtle uppercase">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              Name
            </th>
            <th scope="col" className="px-4 py-3 font-medium">
              Access
            </th>
            <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell">
              Last used
            </th>
            <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">
              Created
            </th>
            <th scope="col" className="px-4 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} className="border-b border-border last:border-0">
              <td className="px-4 py-3">
                <div className="font-medium">{key.name}</div>
                <code className="text-xs text-subtle">{key.prefix}…</code>
              </td>
              <td className="px-4 py-3">
                <div className="flex flex-wrap gap-1">
                  {describeScopes(key.scopes).map((scope) => (
                    <Badge key={scope}>{scope}</Badge>
                  ))}
                </div>
              </td>
              <td className="hidden px-4 py-3 text-subtle sm:table-cell">
                {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}
              </td>
              <td className="hidden px-4 py-3 text-subtle md:table-cell">{formatDate(key.createdAt)}</td>
              <td className="px-4 py-3 text-right">
                <ConfirmDialog
                  trigger={
                    <Button variant="ghost" size="sm" aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </Button>
                  }
                  title={`Revoke “${key.name}”?`}
                  description="Programs using this key stop working at once. This cannot be undone."
                  confirmLabel="Revoke"
                  onConfirm={() => revoke(key.id)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
