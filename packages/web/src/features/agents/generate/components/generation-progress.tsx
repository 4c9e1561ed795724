import type { GenerationStage, Job, GenerationProgress as Progress } from "@oratio/sdk";
import { CheckCircle2, Circle, CircleSlash, Loader2, XCircle } from "lucide-react";
import { Card, CardDescription, CardTitle } from "../../../../components/ui/card.tsx";
import { cn } from "../../../../lib/utils.ts";
import { formatMs, generationFraction, stageDetail, stageLabel, stagesOf } from "../stages.ts";

const STATUS_WORDS: Record<GenerationStage["status"], string> = {
  pending: "Waiting",
  running: "Working",
  done: "Done",
  skipped: "Skipped",
  failed: "Failed",
};

function StageIcon({ status }: { status: GenerationStage["status"] }) {
  const cls = "size-5 shrink-0";
  switch (status) {
    case "running":
      return <Loader2 className={cn(cls, "animate-spin text-accent dark:text-[#b084ff]")} aria-hidden />;
    case "done":
      return <CheckCircle2 className={cn(cls, "text-success")} aria-hidden />;
    case "failed":
      return <XCircle className={cn(cls, "text-destructive")} aria-hidden />;
    case "skipped":
      return <CircleSlash className={cn(cls, "text-subtle")} aria-hidden />;
    default:
      return <Circle className={cn(cls, "text-border")} aria-hidden />;
  }
}

/** Every stage with its state, timing and what it found. */
export function StageList({ stages, progress }: { stages: GenerationStage[]; progress: Progress }) {
  return (
    <ol className="grid gap-1" aria-label="Generation stages">
      {stages.map((stage) => {
        const detail = stageDetail(stage, progress);
        const time = stage.status === "running" ? null : formatMs(stage.ms);
        return (
          <li
            key={stage.name}
            aria-current={stage.status === "running" ? "step" : undefined}
            className={cn(
              "flex items-start gap-3 rounded-md px-3 py-2 text-sm",
              stage.status === "running" && "bg-accent/5",
            )}
          >
            <StageIcon status={stage.status} />
            <div className="min-w-0 flex-1">
              <p className={cn("font-medium", stage.status === "pending" && "text-subtle")}>
                {stageLabel(stage.name)}
              </p>
              {detail && (
                <p className={cn("text-xs", stage.status === "failed" ? "text-destructive" : "text-subtle")}>
                  {detail}
                </p>
              )}
            </div>
            <span className="shrink-0 text-xs text-subtle tabular-nums">
              {STATUS_WORDS[stage.status]}
              {time ? ` · ${time}` : ""}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The generation as it happens: a progress bar and every stage with its state, timing and
 * what it found. Stages that do not depend on each other run at the same time.
 */
export function GenerationProgressView({ job, name }: { job: Job | null; name: string }) {
  const stages = stagesOf(job);
  const progress = (job?.progress ?? {}) as Progress;
  const percent = Math.round(generationFraction(job) * 100);
  const running = stages.filter((s) => s.status === "running").map((s) => stageLabel(s.name));
  return (
    <Card className="grid gap-5">
      <div>
        <CardTitle>Building the agents for {name}</CardTitle>
        <CardDescription aria-live="polite">
          {!job
            ? "Starting…"
            : job.status === "succeeded"
              ? "All done. Opening the review…"
              : job.status === "failed" || job.status === "cancelled"
                ? "The generation stopped."
                : running.length
                  ? `Now: ${running.join(", ")}`
                  : "Waiting for a worker…"}
        </CardDescription>
      </div>
      <div className="grid gap-1.5">
        <div className="flex items-center justify-between text-sm">
          <span className="font-medium" id="generation-progress-label">
            Generation progress
          </span>
          <span className="tabular-nums text-subtle">{percent}%</span>
        </div>
        <div
          role="progressbar"
          aria-labelledby="generation-progress-label"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}%`}
          className="h-2.5 w-full overflow-hidden rounded-full bg-muted"
        >
          <div
            className="h-full rounded-full bg-linear-to-r from-brand-violet to-brand-orange transition-[width] duration-500"
            style={{ width: `${percent}%` }}
          />
        </div>
      </div>
      <StageList stages={stages} progress={progress} />
    </Card>
  );
}
