import { Link, useNavigate } from "@tanstack/react-router";
import { ChevronLeft, RefreshCw, Trash2 } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, FormError, LoadingState } from "../../components/states.tsx";
import { ConfirmDialog } from "../../components/ui/alert-dialog.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../components/ui/card.tsx";
import { formatDateTime } from "../../lib/utils.ts";
import {
  useDocuments,
  useJobWatcher,
  useKnowledgeActions,
  useKnowledgeBase,
  useSources,
} from "./api/queries.ts";
import { DocumentsTable } from "./components/documents-table.tsx";
import { JobProgress } from "./components/job-progress.tsx";
import { SearchPanel } from "./components/search-panel.tsx";
import { UploadDropzone } from "./components/upload-dropzone.tsx";
import { WebsiteForm } from "./components/website-form.tsx";

export function KnowledgeBasePage({ knowledgeBaseId: id }: { knowledgeBaseId: string }) {
  const base = useKnowledgeBase(id);
  const documents = useDocuments(id);
  const sources = useSources(id);
  const actions = useKnowledgeActions();
  const { jobs, watch } = useJobWatcher();
  const [rejected, setRejected] = useState<{ name: string; error: string }[]>([]);
  const navigate = useNavigate();

  if (base.isPending) return <LoadingState label="Loading knowledge base…" />;
  if (base.isError) {
    return (
      <>
        <PageHeader title="Knowledge base" />
        <ErrorState error={base.error} onRetry={() => base.refetch()} />
      </>
    );
  }
  return (
    <>
      <Link
        to="/knowledge"
        className="mb-3 inline-flex items-center gap-1 text-sm text-subtle hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden /> All knowledge bases
      </Link>
      <PageHeader
        title={base.data.name}
        description={`${base.data.documentCount} documents · ${base.data.chunkCount} passages`}
        actions={
          <ConfirmDialog
            trigger={
              <Button variant="outline">
                <Trash2 aria-hidden /> Delete knowledge base
              </Button>
            }
            title={`Delete “${base.data.name}”?`}
            description="Its documents and passages are removed; agents using it stop citing them."
            confirmLabel="Delete"
            onConfirm={() => actions.remove.mutateAsync(id).then(() => navigate({ to: "/knowledge" }))}
          />
        }
      />
      <div className="grid gap-6">
        <Card className="grid gap-4">
          <div>
            <CardTitle>Add knowledge</CardTitle>
            <CardDescription>Files are parsed, split into passages and indexed for search.</CardDescription>
          </div>
          <UploadDropzone
            pending={actions.upload.isPending}
            error={actions.upload.error}
            rejected={rejected}
            onFiles={(files) =>
              actions.upload.mutate(
                { id, files },
                {
                  onSuccess: (result) => {
                    setRejected(result.rejected);
                    if (result.documents.length) void watch(result.jobId);
                  },
                },
              )
            }
          />
          <WebsiteForm
            pending={actions.addWebsite.isPending}
            error={actions.addWebsite.error}
            onSubmit={(input) =>
              actions.addWebsite.mutate({ id, ...input }, { onSuccess: (r) => void watch(r.jobId) })
            }
          />
          {jobs.length > 0 && (
            <section className="grid gap-2" aria-label="Ingestion progress">
              {jobs.map((job) => (
                <JobProgress
                  key={job.id}
                  job={job}
                  label={job.type === "knowledge.sync" ? "Website crawl" : "Upload"}
                />
              ))}
            </section>
          )}
        </Card>

        <Card className="grid gap-3">
          <CardTitle>Documents</CardTitle>
          <FormError error={actions.deleteDocument.error} />
          {documents.isPending ? (
            <LoadingState label="Loading documents…" />
          ) : documents.isError ? (
            <ErrorState error={documents.error} onRetry={() => documents.refetch()} />
          ) : documents.data.length === 0 ? (
            <EmptyState title="No documents yet">Upload files or add a website above.</EmptyState>
          ) : (
            <DocumentsTable
              documents={documents.data}
              onDelete={(doc) => actions.deleteDocument.mutate({ id, documentId: doc.id })}
            />
          )}
        </Card>

        {(sources.data?.length ?? 0) > 0 && (
          <Card className="grid gap-3">
            <CardTitle>Websites</CardTitle>
            <FormError error={actions.sync.error ?? actions.deleteSource.error} />
            <ul className="divide-y divide-border" aria-label="Websites">
              {sources.data?.map((source) => (
                <li key={source.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                  <span className="min-w-0 flex-1 break-all font-medium">{source.url}</span>
                  <span className="text-xs text-subtle">
                    {source.lastSyncedAt ? `Synced ${formatDateTime(source.lastSyncedAt)}` : "Not synced yet"}
                  </span>
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={`Re-sync ${source.url}`}
                    onClick={() =>
                      actions.sync.mutate(
                        { id, sourceId: source.id },
                        { onSuccess: (r) => void watch(r.jobId) },
                      )
                    }
                  >
                    <RefreshCw aria-hidden /> Re-sync
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove ${source.url}`}
                    onClick={() => actions.deleteSource.mutate({ id, sourceId: source.id })}
                  >
                    <Trash2 aria-hidden />
                  </Button>
                </li>
              ))}
            </ul>
          </Card>
        )}

        <Card>
          <CardTitle className="mb-3">Search</CardTitle>
          <SearchPanel knowledgeBaseId={id} />
        </Card>
      </div>
    </>
  );
}
