import type { HttpToolInput, Tool } from "@oratio/sdk";
import { FlaskConical, KeyRound, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { ConfirmDialog } from "../../components/ui/alert-dialog.tsx";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../components/ui/card.tsx";
import { useOrganization } from "../../lib/session.tsx";
import { useToolActions, useTools } from "./api/queries.ts";
import { TestToolDialog } from "./components/test-tool-dialog.tsx";
import { ToolFormDialog } from "./components/tool-form-dialog.tsx";

const BUILT_INS = [
  ["search_knowledge", "Searches the agent's knowledge bases and cites what it found."],
  ["request_human", "Asks for a person; the session is flagged and your team is notified."],
  ["end_session", "Ends the conversation when the customer is done."],
  ["transfer_to_<agent>", "Hands the conversation to another agent (one per handoff target)."],
] as const;

function ToolRow({ tool, canManage }: { tool: Tool; canManage: boolean }) {
  const { remove } = useToolActions();
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const method = tool.kind === "http" ? ((tool as HttpToolInput).method ?? "POST") : null;
  return (
    <tr className="border-b border-border align-top last:border-0">
      <td className="px-4 py-3">
        <code className="font-mono font-medium">{tool.name}</code>
        <p className="mt-0.5 line-clamp-2 text-xs text-subtle">{tool.description}</p>
      </td>
      <td className="px-4 py-3">
        <Badge>{tool.kind === "http" ? "HTTP" : "MCP"}</Badge>
      </td>
      <td className="hidden max-w-xs px-4 py-3 md:table-cell">
        <span className="font-mono text-xs break-all">
          {method && <span className="font-semibold">{method} </span>}
          {tool.url}
        </span>
      </td>
      <td className="hidden px-4 py-3 text-subtle sm:table-cell">
        {tool.hasSecret ? (
          <span className="inline-flex items-center gap-1">
            <KeyRound className="size-3.5" aria-hidden /> Stored
          </span>
        ) : (
          "None"
        )}
      </td>
      <td className="px-4 py-3">
        {canManage && (
          <div className="flex justify-end gap-1">
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Test ${tool.name}`}
              onClick={() => setTesting(true)}
            >
              <FlaskConical aria-hidden /> Test
            </Button>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Edit ${tool.name}`}
              onClick={() => setEditing(true)}
            >
              <Pencil aria-hidden />
            </Button>
            <ConfirmDialog
              trigger={
                <Button variant="ghost" size="icon" aria-label={`Delete ${tool.name}`}>
                  <Trash2 aria-hidden />
                </Button>
              }
              title={`Delete “${tool.name}”?`}
              description="Agents can no longer call it. A tool that an agent still offers cannot be deleted: remove it from those agents first."
              confirmLabel="Delete"
              onConfirm={() => remove(tool)}
            />
            {editing && <ToolFormDialog tool={tool} open={editing} onOpenChange={setEditing} />}
            {testing && <TestToolDialog tool={tool} open={testing} onOpenChange={setTesting} />}
          </div>
        )}
      </td>
    </tr>
  );
}

/** Custom HTTP tools and MCP servers the organization's agents may call; owners and admins change them. */
export function ToolsPage() {
  const tools = useTools();
  const { canManage } = useOrganization();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title="Tools"
        description="Actions your agents can take in your own systems: HTTP endpoints and MCP servers."
        actions={
          canManage && (
            <Button onClick={() => setAdding(true)}>
              <Plus aria-hidden /> Add tool
            </Button>
          )
        }
      />
      {adding && <ToolFormDialog open={adding} onOpenChange={setAdding} />}
      <div className="grid gap-6">
        {!canManage && (
          <p className="rounded-md bg-muted px-4 py-3 text-sm text-subtle">
            You can see the tools; owners and admins add, change and test them.
          </p>
        )}
        {tools.isPending ? (
          <LoadingState label="Loading tools…" />
        ) : tools.isError ? (
          <ErrorState error={tools.error} onRetry={() => tools.refetch()} />
        ) : tools.data.length === 0 ? (
          <EmptyState title="No custom tools yet">
            {canManage
              ? "Add an HTTP endpoint or an MCP server, test it with sample arguments, then give it to an agent in its configuration."
              : "Owners and admins can add them."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-signature border border-border bg-surface">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Custom tools</caption>
              <thead className="border-b border-border text-xs text-subtle uppercase">
                <tr>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Type
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">
                    Endpoint
                  </th>
                  <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell">
                    Secret
                  </th>
                  <th scope="col" className="px-4 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tools.data.map((tool) => (
                  <ToolRow key={tool.id} tool={tool} canManage={canManage} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Card>
          <CardTitle>Built-in tools</CardTitle>
          <CardDescription>Every agent has these; nothing to set up.</CardDescription>
          <ul className="mt-3 grid gap-2 sm:grid-cols-2">
            {BUILT_INS.map(([name, what]) => (
              <li key={name} className="text-sm">
                <code className="font-mono font-medium">{name}</code>
                <p className="text-xs text-subtle">{what}</p>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
