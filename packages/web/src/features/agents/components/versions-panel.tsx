import type { Agent } from "@oratio/sdk";
import { useState } from "react";
import { ErrorState, FormError, LoadingState } from "../../../components/states.tsx";
import { StatusBadge } from "../../../components/status-badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card, CardTitle } from "../../../components/ui/card.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { formatDateTime } from "../../../lib/utils.ts";
import { useAgentActions, useAgentDiff, useAgentVersions } from "../api/queries.ts";

const show = (value: unknown) =>
  value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);

export function VersionsPanel({ agent }: { agent: Agent }) {
  const versions = useAgentVersions(agent.id);
  const { publish } = useAgentActions();
  const [from, setFrom] = useState<number>(Math.max(1, agent.latestVersion - 1));
  const [to, setTo] = useState<number>(agent.latestVersion);
  const diff = useAgentDiff(agent.id, from, to);

  if (versions.isPending) return <LoadingState label="Loading versions…" />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => versions.refetch()} />;
  const sorted = [...versions.data].sort((a, b) => b.version - a.version);
  return (
    <div className="grid gap-6">
      <Card>
        <CardTitle>Versions</CardTitle>
        <FormError error={publish.error} />
        <ul className="mt-3 divide-y divide-border" aria-label="Versions">
          {sorted.map((v) => {
            const live = v.version === agent.publishedVersion;
            const older = agent.publishedVersion !== null && v.version < agent.publishedVersion;
            return (
              <li key={v.version} className="flex flex-wrap items-center gap-3 py-3">
                <span className="font-semibold">v{v.version}</span>
                {live ? <StatusBadge status="published" /> : null}
                <span className="text-sm text-subtle">{formatDateTime(v.createdAt)}</span>
                {v.note && <span className="text-sm">{v.note}</span>}
                {!live && (
                  <Button
                    variant="outline"
                    size="sm"
                    className="ml-auto"
                    disabled={publish.isPending}
                    onClick={() => publish.mutate({ id: agent.id, version: v.version })}
                  >
                    {older ? `Roll back to v${v.version}` : `Publish v${v.version}`}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      </Card>
      <Card className="grid gap-4">
        <CardTitle>Compare versions</CardTitle>
        <div className="flex flex-wrap items-end gap-3">
          {(
            [
              ["diff-from", "From version", from, setFrom],
              ["diff-to", "To version", to, setTo],
            ] as const
          ).map(([id, label, value, setValue]) => (
            <div key={id} className="grid gap-1.5">
              <Label htmlFor={id}>{label}</Label>
              <NativeSelect
                id={id}
                className="w-32"
                value={value}
                onChange={(e) => setValue(Number(e.target.value))}
              >
                {sorted.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ))}
        </div>
        {from === to ? (
          <p className="text-sm text-subtle">Pick two different versions to see what changed.</p>
        ) : diff.isPending ? (
          <LoadingState label="Comparing…" />
        ) : diff.isError ? (
          <ErrorState error={diff.error} />
        ) : diff.data.changes.length === 0 ? (
          <p className="text-sm text-subtle">No differences.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" aria-label={`Changes from v${from} to v${to}`}>
              <thead className="text-xs text-subtle">
                <tr>
                  <th className="py-2 pr-3 font-medium">Setting</th>
                  <th className="py-2 pr-3 font-medium">Before</th>
                  <th className="py-2 font-medium">After</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border align-top">
                {diff.data.changes.map((c) => (
                  <tr key={c.path}>
                    <td className="py-2 pr-3 font-mono text-xs">{c.path}</td>
                    <td className="py-2 pr-3 whitespace-pre-wrap text-destructive line-through decoration-1">
                      {show(c.before)}
                    </td>
                    <td className="py-2 whitespace-pre-wrap text-success">{show(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
