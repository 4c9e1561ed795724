import type { GeneratedAgentSummary, ReviewFinding } from "@oratio/sdk";
import { ShieldCheck } from "lucide-react";
import { Badge } from "../../../../components/ui/badge.tsx";
import { cn } from "../../../../lib/utils.ts";

const KIND_LABELS: Record<ReviewFinding["kind"], string> = {
  coverage: "Missing coverage",
  contradiction: "Contradiction",
  "missing-escalation": "Missing escalation",
  "unsafe-promise": "Unsafe promise",
  other: "Other",
};

const SEVERITY_TONES: Record<ReviewFinding["severity"], string> = {
  high: "bg-destructive/15 text-destructive",
  medium: "bg-secondary/60 text-secondary-foreground dark:bg-brand-orange/25 dark:text-foreground",
  low: "bg-muted text-subtle",
};

/** What the reviewer flagged in each cycle, and which parts of the draft the refinement changed. */
export function ReviewFindings({ agent }: { agent: GeneratedAgentSummary }) {
  const cycles = agent.reviewCycles;
  if (cycles.length === 0) return <p className="text-sm text-subtle">This agent was not reviewed.</p>;
  return (
    <ol className="grid gap-4" aria-label={`Review cycles for ${agent.role}`}>
      {cycles.map((cycle) => (
        <li key={cycle.cycle} className="grid gap-2">
          <p className="text-sm font-medium">
            Review {cycle.cycle}:{" "}
            {cycle.findings.length === 0
              ? "nothing to change"
              : `${cycle.findings.length} ${cycle.findings.length === 1 ? "finding" : "findings"}`}
            {cycle.changed.length > 0 && (
              <span className="font-normal text-subtle"> · refined: {cycle.changed.join(", ")}</span>
            )}
          </p>
          {cycle.findings.length === 0 ? (
            <p className="flex items-center gap-2 text-sm text-success">
              <ShieldCheck className="size-4" aria-hidden /> The reviewer found the draft complete and safe.
            </p>
          ) : (
            <ul className="grid gap-2">
              {cycle.findings.map((finding, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: findings have no identity beyond their order
                <li key={n} className="grid gap-1 rounded-md border border-border bg-background p-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge className={cn("capitalize", SEVERITY_TONES[finding.severity])}>
                      {finding.severity}
                    </Badge>
                    <span className="font-medium">{KIND_LABELS[finding.kind] ?? finding.kind}</span>
                    {finding.intent && <span className="text-xs text-subtle">{finding.intent}</span>}
                  </div>
                  <p>{finding.detail}</p>
                  {finding.suggestion && <p className="text-subtle">Suggested: {finding.suggestion}</p>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
