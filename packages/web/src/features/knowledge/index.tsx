import { Link } from "@tanstack/react-router";
import { Library, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Field } from "../../components/form-field.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, FormError, LoadingState } from "../../components/states.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Card } from "../../components/ui/card.tsx";
import { Dialog, DialogContent, DialogTrigger } from "../../components/ui/dialog.tsx";
import { formatDate } from "../../lib/utils.ts";
import { useKnowledgeActions, useKnowledgeBases } from "./api/queries.ts";

export function KnowledgeBasesPage() {
  const bases = useKnowledgeBases();
  return (
    <>
      <PageHeader
        title="Knowledge"
        description="Documents and websites your agents answer from, with citations."
        actions={<CreateKnowledgeBaseDialog />}
      />
      {bases.isPending ? (
        <LoadingState label="Loading knowledge bases…" />
      ) : bases.isError ? (
        <ErrorState error={bases.error} onRetry={() => bases.refetch()} />
      ) : bases.data.length === 0 ? (
        <EmptyState title="No knowledge bases yet">
          Create one, then upload your handbook, policies or price list, or add your website.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" aria-label="Knowledge bases">
          {bases.data.map((kb) => (
            <li key={kb.id}>
              <Card className="grid gap-2 transition-shadow hover:shadow-glow">
                <h2 className="flex items-center gap-2 text-lg font-semibold">
                  <Library className="size-5 text-accent dark:text-[#b084ff]" aria-hidden />
                  <Link
                    to="/knowledge/$knowledgeBaseId"
                    params={{ knowledgeBaseId: kb.id }}
                    className="hover:underline"
                  >
                    {kb.name}
                  </Link>
                </h2>
                <p className="text-sm text-subtle">
                  {kb.documentCount} documents · {kb.chunkCount} passages · updated {formatDate(kb.updatedAt)}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function CreateKnowledgeBaseDialog() {
  const { create } = useKnowledgeActions();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name, {
      onSuccess: () => {
        setOpen(false);
        setName("");
      },
    });
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) create.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> Create knowledge base
        </Button>
      </DialogTrigger>
      <DialogContent title="Create knowledge base">
        <form onSubmit={submit} className="grid gap-4">
          <Field id="kb-name" label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
          <FormError error={create.error} />
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
