import { type CreateProviderInput, PROVIDER_TYPES, type ProviderType } from "@oratio/sdk";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Field } from "../../components/form-field.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, FormError, LoadingState } from "../../components/states.tsx";
import { ConfirmDialog } from "../../components/ui/alert-dialog.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Card, CardTitle } from "../../components/ui/card.tsx";
import { NativeSelect } from "../../components/ui/input.tsx";
import { Label } from "../../components/ui/label.tsx";
import { useApi } from "../../lib/api.tsx";
import { useInvalidate, useOrgKey } from "../../lib/org-query.ts";
import { formatDate } from "../../lib/utils.ts";

const TYPE_LABELS: Record<ProviderType, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  bedrock: "Amazon Bedrock",
  "openai-compatible": "OpenAI-compatible URL",
  local: "Local (model store)",
  deepgram: "Deepgram (speech recognition)",
  elevenlabs: "ElevenLabs (speech)",
  cartesia: "Cartesia (speech)",
};

export function ProvidersPage() {
  const client = useApi();
  const key = useOrgKey();
  const invalidate = useInvalidate();
  const providers = useQuery({
    queryKey: key("providers"),
    queryFn: ({ signal }) => client.providers.list({ signal }),
  });
  const create = useMutation({
    mutationFn: (input: CreateProviderInput) => client.providers.create(input),
    onSuccess: () => invalidate("providers"),
  });
  const [form, setForm] = useState({ name: "", type: "openai" as ProviderType, baseUrl: "", apiKey: "" });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      {
        name: form.name,
        type: form.type,
        baseUrl: form.baseUrl || undefined,
        apiKey: form.apiKey || undefined,
      },
      { onSuccess: () => setForm({ name: "", type: form.type, baseUrl: "", apiKey: "" }) },
    );
  }
  return (
    <>
      <PageHeader
        title="Model providers"
        description="Credentials for the language models your agents use. Keys are stored encrypted and never shown again."
      />
      <div className="grid gap-6">
        <Card>
          <CardTitle className="mb-4">Add a provider</CardTitle>
          <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" aria-label="Add a provider">
            <Field
              id="provider-name"
              label="Name"
              required
              value={form.name}
              placeholder="e.g. OpenAI production"
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
            <div className="grid gap-1.5">
              <Label htmlFor="provider-type">Type</Label>
              <NativeSelect
                id="provider-type"
                value={form.type}
                onChange={(e) => setForm({ ...form, type: e.target.value as ProviderType })}
              >
                {PROVIDER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <Field
              id="provider-base-url"
              label="Base URL"
              type="url"
              hint="Only for OpenAI-compatible servers or a proxy."
              value={form.baseUrl}
              onChange={(e) => setForm({ ...form, baseUrl: e.target.value })}
            />
            <Field
              id="provider-api-key"
              label="API key"
              type="password"
              autoComplete="off"
              hint="Write-only: it cannot be read back."
              value={form.apiKey}
              onChange={(e) => setForm({ ...form, apiKey: e.target.value })}
            />
            <div className="sm:col-span-2">
              <FormError error={create.error} />
              <Button type="submit" className="mt-2" disabled={create.isPending}>
                <Plus aria-hidden /> {create.isPending ? "Adding…" : "Add provider"}
              </Button>
            </div>
          </form>
        </Card>
        {providers.isPending ? (
          <LoadingState label="Loading providers…" />
        ) : providers.isError ? (
          <ErrorState error={providers.error} onRetry={() => providers.refetch()} />
        ) : providers.data.length === 0 ? (
          <EmptyState title="No providers yet">
            Agents can still use models from the local model store.
          </EmptyState>
        ) : (
          <Card>
            <CardTitle className="mb-2">Providers</CardTitle>
            <ul className="divide-y divide-border" aria-label="Providers">
              {providers.data.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-3 py-3 text-sm">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium">{p.name}</p>
                    <p className="text-xs text-subtle">
                      {TYPE_LABELS[p.type]}
                      {p.baseUrl ? ` · ${p.baseUrl}` : ""} · {p.hasApiKey ? "key set" : "no key"} · added{" "}
                      {formatDate(p.createdAt)}
                    </p>
                  </div>
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="icon" aria-label={`Delete ${p.name}`}>
                        <Trash2 aria-hidden />
                      </Button>
                    }
                    title={`Delete “${p.name}”?`}
                    description="Agents using this provider stop working until you choose another."
                    confirmLabel="Delete"
                    onConfirm={() => client.providers.delete(p.id).finally(() => invalidate("providers"))}
                  />
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </>
  );
}
