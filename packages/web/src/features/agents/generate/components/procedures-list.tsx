import type { Procedure } from "@oratio/sdk";
import { ErrorState, LoadingState } from "../../../../components/states.tsx";
import { useProcedures } from "../api/queries.ts";

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function Items({ title, items, tone }: { title: string; items: string[]; tone?: "warn" }) {
  if (items.length === 0) return null;
  return (
    <div className="grid gap-1">
      <p
        className={
          tone === "warn" ? "text-xs font-medium text-destructive" : "text-xs font-medium text-subtle"
        }
      >
        {title}
      </p>
      <ul className="grid list-disc gap-0.5 pl-5 text-sm">
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function ProcedureView({ procedure, open }: { procedure: Procedure; open: boolean }) {
  const p = procedure;
  return (
    <details open={open} className="group rounded-md border border-border bg-background">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-2 px-3 py-2 text-sm font-medium">
        {p.intent}
        <span className="text-xs font-normal text-subtle">
          {count(p.steps.length, "step")}
          {p.escalation.length ? ` · ${count(p.escalation.length, "escalation")}` : ""}
          {p.handoffTargets.length ? ` · hands off to ${p.handoffTargets.join(", ")}` : ""}
        </span>
      </summary>
      <div className="grid gap-3 border-t border-border px-3 py-3">
        {p.steps.length > 0 && (
          <div className="grid gap-1">
            <p className="text-xs font-medium text-subtle">Steps</p>
            <ol className="grid list-decimal gap-0.5 pl-5 text-sm">
              {p.steps.map((step, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: steps are ordered and may repeat
                <li key={n}>{step}</li>
              ))}
            </ol>
          </div>
        )}
        <Items title="Information to collect" items={p.collect} />
        <Items title="Decision rules" items={p.decisionRules} />
        <Items title="Never" items={p.forbidden} tone="warn" />
        <Items title="Escalate when" items={p.escalation} />
        <figure className="grid gap-1 text-xs">
          <figcaption className="font-medium text-subtle">
            From the SOP{p.citation.heading ? `: ${p.citation.heading}` : ""}
          </figcaption>
          <blockquote className="border-l-2 border-accent/50 pl-2 whitespace-pre-wrap text-subtle">
            {p.citation.excerpt}
          </blockquote>
        </figure>
      </div>
    </details>
  );
}

/** The SOP procedures (intents) one agent handles, each citing its SOP passage. */
export function ProceduresList({ agentId }: { agentId: string }) {
  const procedures = useProcedures(agentId);
  if (procedures.isPending) return <LoadingState label="Loading procedures…" />;
  if (procedures.isError) return <ErrorState error={procedures.error} onRetry={() => procedures.refetch()} />;
  if (procedures.data.length === 0)
    return <p className="text-sm text-subtle">The SOP gives this agent no procedures of its own.</p>;
  return (
    <div className="grid gap-2">
      {procedures.data.map((procedure, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two intents may share a name; the list never reorders
        <ProcedureView key={`${procedure.intent}-${n}`} procedure={procedure} open={n === 0} />
      ))}
    </div>
  );
}
