import type { GenerateResult } from "@oratio/sdk";
import { isTerminal } from "@oratio/sdk";
import { Link, useNavigate } from "@tanstack/react-router";
import { ChevronLeft, RotateCcw } from "lucide-react";
import { useEffect, useState } from "react";
import { PageHeader } from "../../../components/page-header.tsx";
import { ErrorState, LoadingState } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { cn } from "../../../lib/utils.ts";
import { useGenerate, useGenerationReport, useLiveJob } from "./api/queries.ts";
import { GenerationProgressView } from "./components/generation-progress.tsx";
import { Review } from "./components/review.tsx";
import { SourcesForm } from "./components/sources-form.tsx";

type Step = "sources" | "generating" | "review";
const STEPS: { id: Step; label: string }[] = [
  { id: "sources", label: "Sources" },
  { id: "generating", label: "Generating" },
  { id: "review", label: "Review and publish" },
];

function StepIndicator({ step }: { step: Step }) {
  const current = STEPS.findIndex((s) => s.id === step);
  return (
    <ol aria-label="Steps" className="mb-6 flex flex-wrap items-center gap-2 text-sm">
      {STEPS.map((s, n) => (
        <li
          key={s.id}
          aria-current={n === current ? "step" : undefined}
          className={cn(
            "flex items-center gap-2 rounded-full border px-3 py-1",
            n === current
              ? "border-transparent bg-primary text-primary-foreground"
              : n < current
                ? "border-border bg-surface text-foreground"
                : "border-border text-subtle",
          )}
        >
          <span className="tabular-nums font-semibold">{n + 1}</span> {s.label}
        </li>
      ))}
    </ol>
  );
}

/** Files the server refused on arrival; the rest went in. */
function Rejected({ rejected }: { rejected: GenerateResult["rejected"] }) {
  if (rejected.length === 0) return null;
  return (
    <ul
      role="alert"
      className="mb-4 grid gap-1 rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive"
    >
      {rejected.map((r) => (
        <li key={r.name}>
          {r.name} was left out: {r.error}
        </li>
      ))}
    </ul>
  );
}

/** Steps two and three: the job's live progress, then the review of what it built. */
function Generation({ reportId }: { reportId: string }) {
  const report = useGenerationReport(reportId);
  const navigate = useNavigate();
  const { job, error } = useLiveJob(report.data?.jobId ?? null);
  const finished = job !== null && isTerminal(job.status);
  const { refetch } = report;
  // The report is final before the job ends, so reading it again now shows the result.
  useEffect(() => {
    if (finished) void refetch();
  }, [finished, refetch]);

  if (report.isPending) return <LoadingState label="Loading the generation…" />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => report.refetch()} />;
  const r = report.data;
  if (r.status === "succeeded") {
    return (
      <>
        <StepIndicator step="review" />
        <Review report={r} />
      </>
    );
  }
  return (
    <>
      <StepIndicator step="generating" />
      <div className="grid gap-4">
        {r.status === "failed" && (
          <div
            role="alert"
            className="grid gap-3 rounded-signature border border-destructive/40 bg-destructive/5 p-5"
          >
            <p className="text-sm">
              The agents could not be generated: {String(r.report.error ?? job?.error ?? "the job stopped.")}
            </p>
            <Button
              variant="outline"
              className="justify-self-start"
              onClick={() => navigate({ to: "/agents/new", search: {} })}
            >
              <RotateCcw aria-hidden /> Start again
            </Button>
          </div>
        )}
        {error !== null && r.status === "running" && (
          <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
            Lost touch with the server; still trying. The generation goes on without this page.
          </p>
        )}
        <GenerationProgressView job={job} name={r.name} />
      </div>
    </>
  );
}

/**
 * The create-agent wizard: sources (SOP, documents, website) → live generation → review and
 * publish. The generation's id is kept in the address, so a reload or a shared link returns
 * to the same place.
 */
export function GenerateAgentsPage({ reportId }: { reportId?: string }) {
  const navigate = useNavigate();
  const generate = useGenerate();
  const [rejected, setRejected] = useState<GenerateResult["rejected"]>([]);
  return (
    <>
      <Link
        to="/agents"
        className="mb-3 inline-flex items-center gap-1 text-sm text-subtle hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden /> All agents
      </Link>
      <PageHeader
        title="Create agent"
        description="Give Oratio your SOP, documents and website: it drafts the agents, reviews them, and waits for you to publish."
      />
      {reportId ? (
        <>
          <Rejected rejected={rejected} />
          <Generation key={reportId} reportId={reportId} />
        </>
      ) : (
        <>
          <StepIndicator step="sources" />
          <SourcesForm
            pending={generate.isPending}
            error={generate.error}
            onSubmit={(input) =>
              generate.mutate(input, {
                onSuccess: (started) => {
                  setRejected(started.rejected);
                  void navigate({ to: "/agents/new", search: { report: started.reportId } });
                },
              })
            }
          />
        </>
      )}
    </>
  );
}
