import type { KnowledgeDocument } from "@oratio/sdk";
import { Trash2 } from "lucide-react";
import { StatusBadge } from "../../../components/status-badge.tsx";
import { Button } from "../../../components/ui/button.tsx";

const size = (bytes: number) =>
  bytes > 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;

export function DocumentsTable({
  documents,
  onDelete,
}: {
  documents: KnowledgeDocument[];
  onDelete: (doc: KnowledgeDocument) => void;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Documents">
        <thead className="text-xs text-subtle">
          <tr>
            <th className="py-2 pr-3 font-medium">Document</th>
            <th className="py-2 pr-3 font-medium">Status</th>
            <th className="py-2 pr-3 font-medium">Pages</th>
            <th className="py-2 pr-3 font-medium">Chunks</th>
            <th className="py-2 pr-3 font-medium">Size</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {documents.map((doc) => (
            <tr key={doc.id} className="align-top">
              <td className="py-2 pr-3">
                <p className="font-medium break-all">{doc.title || doc.name}</p>
                {doc.url ? (
                  <a
                    href={doc.url}
                    target="_blank"
                    rel="noreferrer noopener"
                    className="text-xs text-subtle hover:underline"
                  >
                    {doc.url}
                  </a>
                ) : (
                  doc.title && <p className="text-xs text-subtle">{doc.name}</p>
                )}
                {doc.error && <p className="text-xs text-destructive">{doc.error}</p>}
              </td>
              <td className="py-2 pr-3">
                <StatusBadge status={doc.status} />
              </td>
              <td className="py-2 pr-3">{doc.pages ?? "—"}</td>
              <td className="py-2 pr-3">{doc.chunks}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{size(doc.bytes)}</td>
              <td className="py-2 text-right">
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Delete ${doc.name}`}
                  onClick={() => onDelete(doc)}
                >
                  <Trash2 aria-hidden />
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
