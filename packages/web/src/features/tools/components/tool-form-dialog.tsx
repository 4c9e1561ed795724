import type { CreateToolInput, HttpToolInput, Tool } from "@oratio/sdk";
import { type FormEvent, useState } from "react";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { Textarea } from "../../../components/ui/textarea.tsx";
import { type ToolChanges, useToolActions } from "../api/queries.ts";
import { DEFAULT_PARAMETERS, headersToText, parseHeaders, parseJsonObject } from "../tool-form.ts";

type Kind = "http" | "mcp";
const METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE", "HEAD"] as const;

interface Draft {
  kind: Kind;
  name: string;
  description: string;
  url: string;
  method: NonNullable<HttpToolInput["method"]>;
  parameters: string;
  retries: string;
  timeoutMs: string;
  allowedTools: string;
  headers: string;
  secret: string;
  removeSecret: boolean;
}

function draftOf(tool: Tool | undefined): Draft {
  const t = tool as (Tool & Partial<HttpToolInput> & { allowedTools?: string[] }) | undefined;
  return {
    kind: t?.kind ?? "http",
    name: t?.name ?? "",
    description: t?.description ?? "",
    url: t?.url ?? "",
    method: t?.method ?? "POST",
    parameters: t?.parameters ? JSON.stringify(t.parameters, null, 2) : DEFAULT_PARAMETERS,
    retries: String(t?.retries ?? 2),
    timeoutMs: t?.timeoutMs ? String(t.timeoutMs) : "",
    allowedTools: (t?.allowedTools ?? []).join(", "),
    headers: headersToText(t?.headers),
    secret: "",
    removeSecret: false,
  };
}

/** Builds the request body from the form, or says which field to fix. */
function toInput(d: Draft): { input: CreateToolInput } | { error: string } {
  const headers = parseHeaders(d.headers);
  if ("error" in headers) return headers;
  const common = {
    name: d.name.trim(),
    description: d.description.trim(),
    url: d.url.trim(),
    headers: headers.headers,
    ...(d.timeoutMs.trim() ? { timeoutMs: Number(d.timeoutMs) } : {}),
    ...(d.secret ? { secret: d.secret } : {}),
  };
  if (d.kind === "mcp") {
    const allowedTools = d.allowedTools
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    return { input: { kind: "mcp", ...common, ...(allowedTools.length ? { allowedTools } : {}) } };
  }
  const parameters = parseJsonObject(d.parameters, "Parameters");
  if ("error" in parameters) return parameters;
  return {
    input: {
      kind: "http",
      ...common,
      method: d.method,
      parameters: parameters.value,
      retries: Number(d.retries),
    },
  };
}

/** Adds a custom tool, or changes one (its type stays). Secrets are write-only. */
export function ToolFormDialog({
  tool,
  open,
  onOpenChange,
}: {
  tool?: Tool;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { create, update } = useToolActions();
  const [draft, setDraft] = useState<Draft>(() => draftOf(tool));
  const [problem, setProblem] = useState<string | null>(null);
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const mutation = tool ? update : create;
  const http = draft.kind === "http";

  function close(next: boolean) {
    onOpenChange(next);
    if (!next) {
      setDraft(draftOf(tool));
      setProblem(null);
      create.reset();
      update.reset();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = toInput(draft);
    if ("error" in built) {
      setProblem(built.error);
      return;
    }
    setProblem(null);
    const done = { onSuccess: () => close(false) };
    if (!tool) {
      create.mutate(built.input, done);
      return;
    }
    const { kind: _kind, secret, ...rest } = built.input;
    const changes: ToolChanges = {
      ...rest,
      ...(secret ? { secret } : draft.removeSecret ? { secret: null } : {}),
    };
    update.mutate({ id: tool.id, changes }, done);
  }

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent
        className="max-w-2xl"
        title={tool ? `Edit ${tool.name}` : "Add tool"}
        description={
          tool
            ? "Agents that offer this tool use the new definition from their next turn."
            : "An HTTP endpoint of yours, or an MCP server, that agents may call during a conversation."
        }
      >
        <form onSubmit={submit} className="grid gap-4" noValidate>
          {!tool && (
            <div className="grid gap-1.5">
              <Label htmlFor="tool-kind">Type</Label>
              <NativeSelect
                id="tool-kind"
                value={draft.kind}
                onChange={(e) => set({ kind: e.target.value as Kind })}
              >
                <option value="http">HTTP endpoint</option>
                <option value="mcp">MCP server</option>
              </NativeSelect>
            </div>
          )}
          <Field
            id="tool-name"
            label="Name"
            required
            value={draft.name}
            placeholder="book_appointment"
            hint="A letter, then letters, digits, _ or -. The model calls the tool by this name."
            onChange={(e) => set({ name: e.target.value })}
          />
          <div className="grid gap-1.5">
            <Label htmlFor="tool-description">Description</Label>
            <Textarea
              id="tool-description"
              rows={2}
              value={draft.description}
              placeholder="Books an appointment for a patient on a date."
              onChange={(e) => set({ description: e.target.value })}
            />
            <p className="text-xs text-subtle">The model reads this to decide when to call the tool.</p>
          </div>
          <div className={http ? "grid gap-4 sm:grid-cols-[8rem_1fr]" : "grid gap-4"}>
            {http && (
              <div className="grid content-start gap-1.5">
                <Label htmlFor="tool-method">Method</Label>
                <NativeSelect
                  id="tool-method"
                  value={draft.method}
                  onChange={(e) => set({ method: e.target.value as Draft["method"] })}
                >
                  {METHODS.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </NativeSelect>
              </div>
            )}
            <Field
              id="tool-url"
              label="URL"
              type="url"
              required
              value={draft.url}
              placeholder={http ? "https://api.example.com/bookings/{date}" : "https://mcp.example.com/mcp"}
              hint={
                http
                  ? "Placeholders like {date} are filled from the arguments; the rest go in the body (or the query for GET)."
                  : "The server's Streamable HTTP endpoint."
              }
              onChange={(e) => set({ url: e.target.value })}
            />
          </div>
          {http ? (
            <div className="grid gap-1.5">
              <Label htmlFor="tool-parameters">Parameters (JSON Schema)</Label>
              <Textarea
                id="tool-parameters"
                rows={7}
                className="font-mono text-xs"
                value={draft.parameters}
                onChange={(e) => set({ parameters: e.target.value })}
              />
              <p className="text-xs text-subtle">
                Arguments are checked against it before any request leaves.
              </p>
            </div>
          ) : (
            <Field
              id="tool-allowed"
              label="Allowed tools (optional)"
              value={draft.allowedTools}
              hint="Comma-separated names of the server's tools to offer; empty offers all of them."
              onChange={(e) => set({ allowedTools: e.target.value })}
            />
          )}
          <div className="grid gap-1.5">
            <Label htmlFor="tool-headers">Headers (optional)</Label>
            <Textarea
              id="tool-headers"
              rows={2}
              className="font-mono text-xs"
              value={draft.headers}
              placeholder="X-Clinic: downtown"
              onChange={(e) => set({ headers: e.target.value })}
            />
            <p className="text-xs text-subtle">One per line, as “Name: value”.</p>
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            {http && (
              <Field
                id="tool-retries"
                label="Retries"
                type="number"
                min={0}
                max={5}
                value={draft.retries}
                onChange={(e) => set({ retries: e.target.value })}
              />
            )}
            <Field
              id="tool-timeout"
              label="Timeout (ms)"
              type="number"
              min={100}
              max={60000}
              value={draft.timeoutMs}
              placeholder={http ? "10000" : "30000"}
              onChange={(e) => set({ timeoutMs: e.target.value })}
            />
          </div>
          <Field
            id="tool-secret"
            label="Secret (optional)"
            type="password"
            autoComplete="new-password"
            value={draft.secret}
            hint={
              (http
                ? "Signs each request (Standard Webhooks headers). "
                : "Sent as “Authorization: Bearer”. ") +
              (tool?.hasSecret
                ? "A secret is stored; type a new one to replace it."
                : "Never shown again once saved.")
            }
            onChange={(e) => set({ secret: e.target.value })}
          />
          {tool?.hasSecret && (
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={draft.removeSecret}
                disabled={Boolean(draft.secret)}
                onChange={(e) => set({ removeSecret: e.target.checked })}
              />
              Remove the stored secret
            </label>
          )}
          {problem && (
            <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {problem}
            </p>
          )}
          <FormError error={mutation.error} />
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={mutation.isPending}>
              {mutation.isPending ? "Saving…" : tool ? "Save changes" : "Add tool"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
