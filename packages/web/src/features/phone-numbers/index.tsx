import type { CreatePhoneNumberInput } from "@oratio/sdk";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../components/copy-button.tsx";
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
import { useAgents } from "../agents/api/queries.ts";

/** Twilio numbers answered by agents: which number goes to which agent, and where Twilio calls. */
export function PhoneNumbersPage() {
  const client = useApi();
  const key = useOrgKey();
  const invalidate = useInvalidate();
  const agents = useAgents();
  const numbers = useQuery({
    queryKey: key("phone-numbers"),
    queryFn: ({ signal }) => client.phoneNumbers.list({ signal }),
  });
  const create = useMutation({
    mutationFn: (input: CreatePhoneNumberInput) => client.phoneNumbers.create(input),
    onSuccess: () => invalidate("phone-numbers"),
  });
  const [form, setForm] = useState({ number: "", agentId: "", twilioAuthToken: "" });
  const agentList = agents.data ?? [];
  const agentId = form.agentId || agentList[0]?.id || "";
  const agentName = (id: string) => agentList.find((a) => a.id === id)?.name ?? "an agent that was deleted";
  const webhook = `${window.location.origin}/api/v1/telephony/twilio/voice`;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { number: form.number.trim(), agentId, twilioAuthToken: form.twilioAuthToken },
      { onSuccess: () => setForm({ number: "", agentId, twilioAuthToken: "" }) },
    );
  }

  return (
    <>
      <PageHeader
        title="Phone numbers"
        description="Callers to these Twilio numbers talk to the agent you choose. Auth tokens are stored encrypted and never shown again."
      />
      <div className="grid gap-6">
        <Card>
          <CardTitle className="mb-2">Twilio setup</CardTitle>
          <p className="text-sm text-subtle">
            In Twilio, set each number's voice webhook (HTTP POST) to this address. The server must be
            reachable from Twilio over HTTPS.
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <code className="rounded bg-muted px-2 py-1 text-sm">{webhook}</code>
            <CopyButton value={webhook} label="Copy webhook URL" />
          </div>
        </Card>
        <Card>
          <CardTitle className="mb-4">Add a phone number</CardTitle>
          {agents.isSuccess && agentList.length === 0 ? (
            <EmptyState title="No agents yet">Create an agent first; then route a number to it.</EmptyState>
          ) : (
            <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" aria-label="Add a phone number">
              <Field
                id="phone-number"
                label="Phone number"
                required
                inputMode="tel"
                hint="E.164 format, e.g. +15551234567."
                value={form.number}
                onChange={(e) => setForm({ ...form, number: e.target.value })}
              />
              <div className="grid gap-1.5">
                <Label htmlFor="phone-agent">Agent</Label>
                <NativeSelect
                  id="phone-agent"
                  value={agentId}
                  onChange={(e) => setForm({ ...form, agentId: e.target.value })}
                >
                  {agentList.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <Field
                id="phone-twilio-token"
                label="Twilio auth token"
                type="password"
                autoComplete="off"
                required
                hint="Write-only: used to check that calls really come from Twilio."
                value={form.twilioAuthToken}
                onChange={(e) => setForm({ ...form, twilioAuthToken: e.target.value })}
              />
              <div className="sm:col-span-2">
                <FormError error={create.error} />
                <Button type="submit" className="mt-2" disabled={create.isPending || !agentId}>
                  <Plus aria-hidden /> {create.isPending ? "Adding…" : "Add phone number"}
                </Button>
              </div>
            </form>
          )}
        </Card>
        {numbers.isPending ? (
          <LoadingState label="Loading phone numbers…" />
        ) : numbers.isError ? (
          <ErrorState error={numbers.error} onRetry={() => numbers.refetch()} />
        ) : numbers.data.length === 0 ? (
          <EmptyState title="No phone numbers yet">Add a Twilio number above to take calls.</EmptyState>
        ) : (
          <Card>
            <CardTitle className="mb-2">Numbers</CardTitle>
            <ul className="divide-y divide-border" aria-label="Phone numbers">
              {numbers.data.map((n) => (
                <li key={n.id} className="flex flex-wrap items-center gap-3 py-3 text-sm">
                  <div className="min-w-0 flex-1">
                    <p className="font-medium">{n.number}</p>
                    <p className="text-xs text-subtle">
                      Answered by {agentName(n.agentId)} · Twilio · added {formatDate(n.createdAt)}
                    </p>
                  </div>
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="icon" aria-label={`Delete ${n.number}`}>
                        <Trash2 aria-hidden />
                      </Button>
                    }
                    title={`Stop answering ${n.number}?`}
                    description="Calls to this number will no longer reach an agent."
                    confirmLabel="Delete"
                    onConfirm={() =>
                      client.phoneNumbers.delete(n.id).finally(() => invalidate("phone-numbers"))
                    }
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
